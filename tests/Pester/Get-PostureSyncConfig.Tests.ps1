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
        $config.ProbeTargets | Should -Be @('psn1.example.test', 'psn2.example.test', 'psn3.example.test')
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

    It 'renders a table and a list with everything' {
        $config = Get-PostureSyncConfig -Path (Join-Path $Fixtures 'ISEPostureCFG.realworld.xml')
        ($config | Format-Table | Out-String -Width 200) | Should -Match 'Path\s+Status\s+Interval\s+NTD\s+ProbeTargets\s+Findings'
        $list = $config | Format-List | Out-String -Width 200
        foreach ($property in 'ClientFamily', 'StateSyncProbeList', 'CallHomeList', 'DiscoveryPsnList', 'DartCount', 'LogFileSize', 'LastWriteTime', 'Findings') {
            $list | Should -Match "$property\s*:"
        }
    }
}
