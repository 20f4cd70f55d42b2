BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Fixtures = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/Config')).Path
    . (Join-Path $PSScriptRoot 'Support/Zip.ps1')

}

Describe 'Get-PostureSyncConfig' {
    It 'reads a file and judges state sync' {
        $config = Get-PostureSyncConfig -Path (Join-Path $Fixtures 'enabled.pretty.xml')
        $config.PSTypeNames[0] | Should -Be 'PostureSync.PostureSyncConfig'
        $config.StateSyncStatus | Should -Be 'Enabled'
        $config.StateSyncEnabled | Should -BeTrue
        $config.ProbeTargets | Should -Be @('psn1.example.test', 'psn2.example.test', 'psn3.example.test:8449')
        # The written :8449 stays on ProbeTargets and is named: the agent's port, whatever it does with a written one.
        $config.Findings | Should -Match "^PSC009 Information: StateSyncProbeList entry 'psn3\.example\.test:8449' writes port 8449, the agent's probe port \[doc\].*not documented \[inferred\]"
    }

    It 'reads the real one-line public sample and finds sync disabled and CSCwd58316 unapplied' {
        $config = Get-PostureSyncConfig -Path (Join-Path $Fixtures 'ISEPostureCFG.realworld.xml')
        $config.StateSyncStatus | Should -Be 'Disabled'
        @($config.Findings -match '^PSC001 Error: StateSyncProbeInterval is 0').Count | Should -Be 1
        @($config.Findings -match '^PSC003 Warning: NetworkTransitionDelay is 3 s.*CSCwd58316').Count | Should -Be 1
    }

    It 'expands wildcards' {
        $configs = Get-PostureSyncConfig -Path (Join-Path $Fixtures 'utf*-bom.xml')
        $configs.Count | Should -Be 3
    }

    It 'takes a folder and its ISE Posture subfolder' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'endpoint/ISE Posture') -Force
        Copy-Item (Join-Path $Fixtures 'enabled.pretty.xml') (Join-Path $folder 'ISEPostureCFG.xml')
        (Get-PostureSyncConfig -Path (Join-Path $TestDrive 'endpoint')).ProfileName | Should -Be 'Corp-Posture-StateSync'
    }

    It 'reads every profile in a DART bundle in place and sets BundlePath' {
        $zip = Join-Path $TestDrive 'bundle.zip'
        New-Zip $zip @{ 'DART/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml' = (Join-Path $Fixtures 'enabled.pretty.xml') }
        $config = Get-PostureSyncConfig -Path $zip
        $config.BundlePath | Should -Be $zip
        $config.ClientFamily | Should -Be 'SecureClient5'
        Get-ChildItem $TestDrive -Recurse -Filter 'ISEPostureCFG.xml' | Where-Object FullName -like '*DART*' | Should -BeNullOrEmpty
    }

    It 'takes files from Get-ChildItem by property name, including names with brackets' {
        $odd = Join-Path $TestDrive 'odd[1]'
        New-Item -ItemType Directory -Path $odd | Out-Null
        Copy-Item -LiteralPath (Join-Path $Fixtures 'enabled.pretty.xml') -Destination (Join-Path $odd 'ISEPostureCFG.xml')
        $configs = Get-ChildItem -LiteralPath $odd -File | Get-PostureSyncConfig
        @($configs).Count | Should -Be 1
        $configs.Path | Should -Be (Join-Path $odd 'ISEPostureCFG.xml')
    }

    It 'reports <Fixture> as <ErrorId> and goes on to the next path' -ForEach @(
        @{ Fixture = 'truncated.xml'; ErrorId = 'ConfigXmlInvalid'; Category = 'InvalidData' }
        @{ Fixture = 'junk.bin'; ErrorId = 'ConfigXmlInvalid'; Category = 'InvalidData' }
        @{ Fixture = 'empty.xml'; ErrorId = 'ConfigEmpty'; Category = 'InvalidData' }
        @{ Fixture = 'not-posture.xml'; ErrorId = 'ConfigNotPosture'; Category = 'InvalidData' }
        @{ Fixture = 'dtd-xxe.xml'; ErrorId = 'ConfigDtdProhibited'; Category = 'InvalidData' }
        @{ Fixture = 'dtd-billion-laughs.xml'; ErrorId = 'ConfigDtdProhibited'; Category = 'InvalidData' }
        @{ Fixture = 'no-such-file.xml'; ErrorId = 'PathNotFound'; Category = 'ObjectNotFound' }
    ) {
        $bad = Join-Path $Fixtures $Fixture
        $good = Join-Path $Fixtures 'enabled.pretty.xml'
        $results = Get-PostureSyncConfig -LiteralPath $bad, $good -ErrorVariable errors -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $errors[0].CategoryInfo.Category | Should -Be $Category
        $errors[0].TargetObject | Should -Be $bad
    }

    It 'reports a corrupt zip as DartBundleInvalid' {
        $zip = Join-Path $TestDrive 'broken.zip'
        Set-Content -LiteralPath $zip -Value 'PK not a zip at all'
        Get-PostureSyncConfig -Path $zip -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DartBundleInvalid,*'
    }

    It 'looks in the installed places without a path, and names them all when nothing is there' {
        $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'sysroot') -Force
        $env:POSTURESYNC_SYSTEM_ROOT = $root.FullName
        try {
            Get-PostureSyncConfig -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ConfigNotFound,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errors[0].Exception.Message | Should -Match 'secureclient'
            $errors[0].Exception.Message | Should -Match 'anyconnect'

            $place = New-Item -ItemType Directory -Path (Join-Path $root 'opt/cisco/anyconnect/iseposture') -Force
            Copy-Item (Join-Path $Fixtures 'enabled.pretty.xml') (Join-Path $place 'ISEPostureCFG.xml')
            (Get-PostureSyncConfig).ClientFamily | Should -Be 'AnyConnect4'
        }
        finally { Remove-Item Env:POSTURESYNC_SYSTEM_ROOT }
    }

    It 'keeps every table column, the findings count included, at 80 columns, live and deserialized' {
        $paths = (Join-Path $Fixtures 'enabled.pretty.xml'), (Join-Path $Fixtures 'ISEPostureCFG.realworld.xml')
        $live = Get-PostureSyncConfig -LiteralPath $paths
        $received = Start-Job { Import-Module $using:env:POSTURESYNC_MODULE; Get-PostureSyncConfig -LiteralPath $using:paths } | Receive-Job -Wait -AutoRemoveJob
        foreach ($results in $live, $received) {
            $table = $results | Format-Table | Out-String -Width 80
            $table | Should -Match 'Source\s+Client\s+Sync\s+Every\s+NTD\s+Findings'
            $table | Should -Match '(?m)enabled\.pretty\.xml\s+Unknown\s+Enabled\s+30\s+10\s+\d+'
        }
    }

    It 'reads XML with a BOM and leading blank lines, comments and processing instructions before the root, CDATA and entities' {
        $xml = "`r`n  <!-- copied by hand -->`n<?xml-stylesheet href='x'?>`n<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><configName>Lab &amp; Corp</configName>" +
            "<StateSyncProbeInterval><![CDATA[45]]></StateSyncProbeInterval><StateSyncProbeList>psn1.example.test;&#x70;sn2.example.test</StateSyncProbeList></cfg>"
        $file = Join-Path $TestDrive 'hostile-ok.xml'
        [System.IO.File]::WriteAllBytes($file, [byte[]] (0xEF, 0xBB, 0xBF) + [System.Text.Encoding]::UTF8.GetBytes($xml))
        $config = Get-PostureSyncConfig -LiteralPath $file
        $config.ProfileName | Should -Be 'Lab & Corp'
        $config.StateSyncProbeInterval | Should -Be 45
        $config.ProbeTargets | Should -Be @('psn1.example.test', 'psn2.example.test')
    }

    It 'makes a probe-list entry with a space an error, not two targets, and names a written port other than 8449' {
        $file = Join-Path $TestDrive 'probe-list.xml'
        "<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><StateSyncProbeInterval>30</StateSyncProbeInterval><NetworkTransitionDelay>10</NetworkTransitionDelay>" +
            "<StateSyncProbeList>psn1.example.test psn2.example.test, [2001:db8::9]:8905</StateSyncProbeList></cfg>" | Set-Content -LiteralPath $file
        $config = Get-PostureSyncConfig -LiteralPath $file
        $config.StateSyncProbeList | Should -Be @('psn1.example.test psn2.example.test', '[2001:db8::9]:8905')
        $config.ProbeTargets | Should -Be @('[2001:db8::9]:8905')
        $config.Findings[0] | Should -Match "^PSC007 Error: StateSyncProbeList entry 'psn1\.example\.test psn2\.example\.test' holds a space"
        @($config.Findings -match "^PSC008 Warning: .*'\[2001:db8::9\]:8905' writes port 8905, not the agent's probe port 8449 \[doc\]\. Whether .* not documented \[inferred\]\. ProbeTargets keeps the entry as written, so Test-PostureSyncPort tests port 8905 on it.*-Port 8905").Count | Should -Be 1
    }

    It 'takes a profile of exactly 1 MB and refuses one byte more, as a file and in a bundle' {
        $xml = "<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><StateSyncProbeInterval>30</StateSyncProbeInterval></cfg>"
        foreach ($size in 1MB, (1MB + 1)) {
            $text = $xml + (' ' * ($size - $xml.Length))
            $file = Join-Path $TestDrive "size$size.xml"
            [System.IO.File]::WriteAllText($file, $text)
            $zip = Join-Path $TestDrive "size$size.zip"
            New-Zip $zip @{} @{ 'DART/ISE Posture/ISEPostureCFG.xml' = $text }
            $read = @(Get-PostureSyncConfig -LiteralPath $file, $zip -ErrorVariable failures -ErrorAction SilentlyContinue)
            if ($size -eq 1MB) { $read.Count | Should -Be 2; $failures | Should -BeNullOrEmpty }
            else { $read | Should -BeNullOrEmpty; @($failures.FullyQualifiedErrorId -replace ',.*$') | Should -Be @('ConfigTooLarge', 'ConfigTooLarge') }
        }
    }

    It 'reads a bundle of 1000 profiles, skips a folder entry named ISEPostureCFG.xml, and calls a gzip named .zip invalid' {
        $entries = @{}
        foreach ($i in 1..1000) { $entries["host$i/ISEPostureCFG.xml"] = "<cfg><StateSyncProbeInterval>$(($i % 300) + 1)</StateSyncProbeInterval></cfg>" }
        $many = Join-Path $TestDrive 'many.zip'
        New-Zip $many @{} $entries
        @(Get-PostureSyncConfig -LiteralPath $many).Count | Should -Be 1000

        $folderEntry = Join-Path $TestDrive 'folder-entry.zip'
        New-Zip $folderEntry @{} @{ 'DART/ISEPostureCFG.xml/' = ''; 'DART/ISEPostureCFG.xml/readme.txt' = 'not a profile' }
        Get-PostureSyncConfig -LiteralPath $folderEntry -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConfigNotFound,*'

        $gzip = Join-Path $TestDrive 'bundle.zip'
        $stream = [System.IO.File]::Create($gzip)
        $compressor = [System.IO.Compression.GZipStream]::new($stream, [System.IO.Compression.CompressionMode]::Compress)
        $bytes = [System.Text.Encoding]::UTF8.GetBytes('<cfg/>'); $compressor.Write($bytes, 0, $bytes.Length); $compressor.Dispose(); $stream.Dispose()
        Get-PostureSyncConfig -LiteralPath $gzip -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DartBundleInvalid,*'
    }

    It 'reports NUL bytes with their line and column, and a symbolic-link loop as unreadable, then goes on' {
        $nul = Join-Path $TestDrive 'nul.xml'
        [System.IO.File]::WriteAllText($nul, "<cfg>`n<configName>a`0b</configName></cfg>")
        $paths = @($nul)
        $canLink = $true
        try {
            New-Item -ItemType SymbolicLink -Path (Join-Path $TestDrive 'loop-a.xml') -Target (Join-Path $TestDrive 'loop-b.xml') -ErrorAction Stop | Out-Null
            New-Item -ItemType SymbolicLink -Path (Join-Path $TestDrive 'loop-b.xml') -Target (Join-Path $TestDrive 'loop-a.xml') -ErrorAction Stop | Out-Null
            $paths += Join-Path $TestDrive 'loop-a.xml'
        }
        catch { $canLink = $false }   # Windows without the symlink privilege
        $paths += Join-Path $Fixtures 'enabled.pretty.xml'
        $read = @(Get-PostureSyncConfig -LiteralPath $paths -ErrorVariable failures -ErrorAction SilentlyContinue)
        $read.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ConfigXmlInvalid,*'
        $failures[0].Exception.Message | Should -Match 'line 2, column'
        if ($canLink) { ($failures[1].FullyQualifiedErrorId -replace ',.*$') | Should -BeIn 'ConfigReadFailed', 'PathNotFound' }
    }

    It 'takes deserialized FileInfo objects, and a wildcard that matches files and folders' {
        $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'mixed')
        Copy-Item (Join-Path $Fixtures 'enabled.pretty.xml') (Join-Path $root 'site-a.xml')
        New-Item -ItemType Directory -Path (Join-Path $root 'site-b') | Out-Null
        Copy-Item (Join-Path $Fixtures 'enabled.pretty.xml') (Join-Path $root 'site-b/ISEPostureCFG.xml')
        $received = Start-Job { Get-ChildItem -LiteralPath $using:root.FullName } | Receive-Job -Wait -AutoRemoveJob
        $received[0].PSTypeNames[0] | Should -BeLike 'Deserialized.System.IO.*'
        @($received | Get-PostureSyncConfig).Count | Should -Be 2
        $matched = @(Get-PostureSyncConfig -Path (Join-Path $root 'site-*') | Sort-Object Path)
        $matched.Count | Should -Be 2
        (Split-Path -Leaf $matched[0].Path) | Should -Be 'site-a.xml'
        (Split-Path -Leaf (Split-Path -Parent $matched[1].Path)) | Should -Be 'site-b'
    }

    It 'renders a table and a list with everything' {
        $config = Get-PostureSyncConfig -Path (Join-Path $Fixtures 'ISEPostureCFG.realworld.xml')
        ($config | Format-Table | Out-String -Width 200) | Should -Match 'Source\s+Client\s+Sync\s+Every\s+NTD\s+Findings'
        $list = $config | Format-List | Out-String -Width 200
        foreach ($property in 'ClientFamily', 'StateSyncProbeList', 'CallHomeList', 'DiscoveryPsnList', 'DartCount', 'LogFileSize', 'LastWriteTime', 'Findings') {
            $list | Should -Match "$property\s*:"
        }
    }
}
