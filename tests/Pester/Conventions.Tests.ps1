# One convention per question, across the cmdlets: wrong file types, folders of bundles, strings piped in,
# offline PSN addresses, wildcards.
BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Examples = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples')).Path
    $script:Healthy = Join-Path $Examples 'dart/endpoint-healthy.zip'
    $script:Good = Join-Path $Examples 'dacl/compliant-good.txt'
    $script:Share = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'share') -Force
    Copy-Item (Join-Path $Examples 'dart/*.zip') -Destination $Share
    $script:PsnMap = @{ 'psn1.example.test' = '192.0.2.11'; 'psn2.example.test' = '192.0.2.12'; 'psn3.example.test' = '192.0.2.13' }
}

Describe 'Wrong file types' {
    It 'refuses <What> given to Test-ComplianceDacl with one DaclNotAclText error and no verdict' -ForEach @(
        @{ What = 'an XML profile'; Make = { Join-Path $Examples 'profiles/healthy/ISEPostureCFG.xml' }; Says = 'XML document' }
        @{ What = 'a posture log'; Make = {
                $file = Join-Path $TestDrive 'AnyConnect_ISEPosture.txt'
                1..1001 | ForEach-Object { "2026/11/20 09:15:10 [Information] aciseagent Function: PeriodicProbe::sessionSyncProbe Thread Id: 0x1 File: a.cpp Line: $_ Level: info :: probe fe80::1 port 8449" } | Set-Content $file
                $file } ; Says = 'posture agent log' }
        @{ What = 'a PNG image'; Make = {
                $file = Join-Path $TestDrive 'screenshot.png'
                [System.IO.File]::WriteAllBytes($file, [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52))
                $file }; Says = 'PNG image' }
    ) {
        $file = & $Make
        $results = @(Test-ComplianceDacl -Path $file -PsnAddress 192.0.2.11 -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $results | Should -HaveCount 0
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DaclNotAclText,*'
        $problems[0].Exception.Message | Should -Match $Says
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'makes Get-DartSyncEvents on a file that is not a posture log a non-terminating PostureLogInvalid error' {
        $file = Join-Path $TestDrive 'notes.txt'
        Set-Content $file -Value 'hello', 'world'
        Get-DartSyncEvents -Path $file -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'PostureLogInvalid,*'
        $problems[0].Exception.Message | Should -Match 'is not a posture log'
        { Get-DartSyncEvents -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'PostureLogInvalid,*'
        # Non-terminating: the next path is still read.
        @(Get-DartSyncEvents -Path $file, $Healthy -ErrorAction SilentlyContinue).Count | Should -BeGreaterThan 0
    }

    It 'says an empty log is empty' {
        $file = Join-Path $TestDrive 'AnyConnect_ISEPosture-empty.txt'
        [System.IO.File]::WriteAllBytes($file, [byte[]]@())
        $warnings = @(Get-DartSyncEvents -Path $file -WarningVariable said -WarningAction SilentlyContinue)
        $warnings | Should -HaveCount 0
        "$said" | Should -Match 'is empty'
    }
}

Describe 'Folders of bundles' {
    It '<Cmdlet> reads each zip of a folder that holds bundles, as Test-PostureSyncHealth does' -ForEach @(
        @{ Cmdlet = 'Get-DartSyncEvents' }
        @{ Cmdlet = 'Get-PostureSyncConfig' }
        @{ Cmdlet = 'Test-PostureSyncHealth' }
    ) {
        $results = @(& $Cmdlet -Path $Share -WarningAction SilentlyContinue -ErrorAction Stop)
        $bundles = @($results | ForEach-Object { if ($_.PSObject.Properties['BundlePath']) { $_.BundlePath } else { $_.Source } } | Sort-Object -Unique)
        $bundles | Should -Be @((Join-Path $Share 'endpoint-healthy.zip'), (Join-Path $Share 'endpoint-sync-off.zip'))
    }
}

Describe 'Strings piped in' {
    It 'reads a lone piped string that names an existing file as that file' {
        Push-Location $Examples
        try { $results = @('dacl/compliant-good.txt' | Test-ComplianceDacl -PsnAddress 192.0.2.11 -ErrorAction Stop) }
        finally { Pop-Location }
        $results | Should -HaveCount 1
        $results[0].Verdict | Should -Be 'Pass'
        $results[0].Source | Should -Be $Good
    }

    It 'still checks a lone ACE string as ACL text' {
        $result = 'deny tcp any host 192.0.2.11 eq 8449' | Test-ComplianceDacl -PsnAddress 192.0.2.11 -WarningAction SilentlyContinue
        $result.Verdict | Should -Be 'Pass'
        $result.Source | Should -Be '-Content'
    }
}

Describe 'Offline PSN addresses' {
    It 'says names are not resolved offline, not that a hosts file is unset' {
        $report = Test-PostureSyncHealth -Path $Healthy -DaclPath $Good
        $text = $report.Findings -join "`n"
        $text | Should -Match 'names are not resolved offline'
        $text | Should -Not -Match 'POSTURESYNC_HOSTS_FILE'
    }

    It 'maps probe-target names to addresses with -PsnAddress: the healthy bundle with the good dACL is Healthy' {
        $report = Test-PostureSyncHealth -Path $Healthy -DaclPath $Good -PsnAddress $PsnMap
        $report.Status | Should -Be 'Healthy' -Because ($report.Findings -join "`n")
        @($report.Findings -match '^Dacl ').Count | Should -Be 0
    }

    It 'checks the dACL against plain -PsnAddress addresses instead of the probe targets' {
        $bad = Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/compliant-bad.txt') -PsnAddress 192.0.2.12
        $bad.Status | Should -Be 'Unhealthy'
        @($bad.Findings -match '^Dacl Error:.*192\.0\.2\.12').Count | Should -BeGreaterThan 0
    }

    It 'refuses a map value that is not an address' {
        { Test-PostureSyncHealth -Path $Healthy -DaclPath $Good -PsnAddress @{ 'psn1.example.test' = 'psn-one' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'PsnAddressInvalid,*'
    }
}

Describe 'Wildcards and live-only parameters' {
    It 'takes a -DaclPath wildcard with one match, and refuses one with several or none' {
        (Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/*good.txt') -PsnAddress $PsnMap).Status | Should -Be 'Healthy'
        { Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/*.txt') -ErrorAction Stop } | Should -Throw -ErrorId 'DaclPathAmbiguous,*'
        { Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/*.none') -ErrorAction Stop } | Should -Throw '*No file matches*'
    }

    It 'accepts -TimeoutSec with -Path' {
        (Test-PostureSyncHealth -Path $Healthy -TimeoutSec 1 -ErrorAction Stop).Status | Should -Be 'Healthy'
    }

    It 'says "no file matches" for a -Path wildcard that matches nothing' {
        Get-PostureSyncConfig -Path (Join-Path $TestDrive '*.nothing') -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].Exception.Message | Should -Match '^No file matches'
    }

    It '<Cmdlet> says "no file matches" for a wildcard and "does not exist" for a literal name, one PathNotFound error per path, and reads the next' -ForEach @(
        @{ Cmdlet = 'Get-PostureSyncConfig'; Readable = { $Healthy }; Extra = @{} }
        @{ Cmdlet = 'Get-DartSyncEvents'; Readable = { $Healthy }; Extra = @{} }
        @{ Cmdlet = 'Test-PostureSyncHealth'; Readable = { $Healthy }; Extra = @{} }
        @{ Cmdlet = 'Test-ComplianceDacl'; Readable = { $Good }; Extra = @{ PsnAddress = '192.0.2.11' } }
        @{ Cmdlet = 'Get-NadSession'; Readable = { Join-Path $PSScriptRoot '../Fixtures/Nad/show-access-session.iosxe.txt' }; Extra = @{} }
    ) {
        $good = & $Readable
        $pattern = Join-Path $TestDrive 'nothing-*.zip'
        $missing = Join-Path $TestDrive 'missing.zip'

        $results = @(& $Cmdlet -Path $pattern, $missing, $good @Extra -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $results.Count | Should -BeGreaterThan 0 -Because 'an error for one path does not stop the next'
        $problems | Should -HaveCount 2
        $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'; $_.CategoryInfo.Category | Should -Be 'ObjectNotFound' }
        $problems[0].Exception.Message | Should -Be "No file matches '$pattern'."
        $problems[0].TargetObject | Should -Be $pattern
        $problems[1].Exception.Message | Should -Be "'$missing' does not exist."

        & $Cmdlet -LiteralPath $missing @Extra -ErrorVariable literal -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $literal | Should -HaveCount 1
        $literal[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        $literal[0].Exception.Message | Should -Match 'does not exist'
        { & $Cmdlet -Path $pattern @Extra -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
    }

    It 'points a -Path whose [ and ] hide an existing file to -LiteralPath' {
        $bracketed = Join-Path $TestDrive 'bundle[1].zip'
        Copy-Item -LiteralPath $Healthy -Destination $bracketed
        Get-PostureSyncConfig -Path $bracketed -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].Exception.Message | Should -Match 'No file matches .*A file has that very name'
        $problems[0].ErrorDetails.RecommendedAction | Should -Match '-LiteralPath'
        (Get-PostureSyncConfig -LiteralPath $bracketed).ProbeTargets | Should -Not -BeNullOrEmpty
    }
}
