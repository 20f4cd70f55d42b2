# ACL text is only parsed, never probed: PSN names resolve through a hosts file made here, no DNS query is sent.
BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Fixtures = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/Acl')).Path

    $script:HostsFile = Join-Path $TestDrive 'hosts'
    @(
        '10.1.1.1 psn1.example.test'
        '10.1.1.2 psn2.example.test'
        '2001:db8::10 psn6.example.test'
    ) | Set-Content $HostsFile
    $script:SavedHosts = $env:POSTURESYNC_HOSTS_FILE
    $env:POSTURESYNC_HOSTS_FILE = $HostsFile
}

AfterAll {
    $env:POSTURESYNC_HOSTS_FILE = $SavedHosts
}

Describe 'Test-ComplianceDacl' {
    It 'passes a dACL file that denies the sync port of every PSN first' {
        $results = Test-ComplianceDacl -Path (Join-Path $Fixtures 'compliant.dacl.txt') -PsnAddress psn1.example.test, 10.1.1.2

        $results.Count | Should -Be 2
        $results.Verdict | Should -Be @('Pass', 'Pass')
        $results[0].Psn | Should -Be 'psn1.example.test (10.1.1.1)'
        $results[0].DecidingLine | Should -Be 2
        $results[0].InputFormat | Should -Be 'Dacl'
        $results[0].pstypenames[0] | Should -Be 'PostureSync.DaclTestResult'
    }

    It 'fails with a counter-example when a permit comes first' {
        $result = Test-ComplianceDacl -Content 'permit tcp any any', 'deny tcp any host 10.1.1.1 eq 8449' -PsnAddress 10.1.1.1 -WarningVariable warnings -WarningAction SilentlyContinue

        $result.Verdict | Should -Be 'Fail'
        $result.Action | Should -Be 'Permit'
        $result.DecidingLine | Should -Be 1
        $result.CounterExample | Should -Be 'tcp 192.0.2.1:1024 -> 10.1.1.1:8449'
        $result.Source | Should -Be '-Content'
        $warnings | Where-Object { "$_" -like '*ACL001 Warning: line 2 *' } | Should -Not -BeNullOrEmpty
    }

    It 'reads whole texts and single lines from the pipeline alike' {
        $lines = Get-Content (Join-Path $Fixtures 'compliant.dacl.txt')
        $text = Get-Content -Raw (Join-Path $Fixtures 'compliant.dacl.txt')

        ($lines | Test-ComplianceDacl -PsnAddress 10.1.1.1).Verdict | Should -Be 'Pass'
        ($text | Test-ComplianceDacl -PsnAddress 10.1.1.1).Verdict | Should -Be 'Pass'
    }

    It 'evaluates for one endpoint with -EndpointAddress' {
        $content = 'deny tcp host 192.168.1.10 host 10.1.1.1 eq 8449', 'permit ip any any'

        (Test-ComplianceDacl -Content $content -PsnAddress 10.1.1.1 -WarningAction SilentlyContinue).Verdict | Should -Be 'Fail'
        $one = Test-ComplianceDacl -Content $content -PsnAddress 10.1.1.1 -EndpointAddress 192.168.1.10 -WarningAction SilentlyContinue
        $one.Verdict | Should -Be 'Pass'
        $one.EndpointAddress | Should -Be '192.168.1.10'
    }

    It 'reads show access-lists output and picks the downloaded lists by default' {
        $results = Test-ComplianceDacl -LiteralPath (Join-Path $Fixtures 'show-access-lists.per-user.txt') -PsnAddress psn1.example.test, psn6.example.test -WarningAction SilentlyContinue

        $results.AclName | Should -Be @('xACSACLx-IP-COMPLIANT-636b75ac', 'xACSACLx-IPV6-COMPLIANT-5f152814')
        $results.Verdict | Should -Be @('Pass', 'Pass')
        $results[0].InputFormat | Should -Be 'ShowAccessList'
    }

    It 'picks lists by name with wildcards and reports a name that matches nothing' {
        $path = Join-Path $Fixtures 'show-access-lists.per-user.txt'
        $results = Test-ComplianceDacl -Path $path -AclName 'pre*', 'NOSUCH' -PsnAddress 10.1.1.1 -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $results.AclName | Should -Be 'PREAUTH'
        $results.Verdict | Should -Be 'Pass'
        $results.DecidingAce | Should -Be '30 deny ip any any'
        $results.DecidingLine | Should -Be 5
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DaclListNotFound,*'
    }

    It 'reads RADIUS av-pairs ordered by N' {
        $result = Test-ComplianceDacl -Path (Join-Path $Fixtures 'avpairs.radius.txt') -PsnAddress 10.1.1.2 -InputFormat AvPair

        $result.AclName | Should -Be 'xACSACLx-IP-COMPLIANT-5f152814'
        $result.Verdict | Should -Be 'Pass'
        $result.DecidingLine | Should -Be 4
    }

    It 'binds ProbeTargets from a config object by property name' {
        $config = [pscustomobject]@{ ProbeTargets = @('psn1.example.test:8905', '10.1.1.2') }

        $results = $config | Test-ComplianceDacl -Path (Join-Path $Fixtures 'compliant.dacl.txt')

        $results.Psn | Should -Be @('psn1.example.test (10.1.1.1)', '10.1.1.2')
    }

    It 'writes DaclSyntaxError per syntax error and still evaluates' {
        $content = 'deny tcp any host 10.1.1.1 eq https', 'permit tcp any any eq', 'permit ip any any'

        $result = Test-ComplianceDacl -Content $content -PsnAddress 10.1.1.1 -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $errors.Count | Should -Be 2
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'DaclSyntaxError,*' }
        "$($errors[0])" | Should -BeLike "*Line 1, column 31: expected a port after 'eq'*'https'*"
        $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*use 443*'
        $errors[1].CategoryInfo.Category | Should -Be 'InvalidData'
        $result.Verdict | Should -Be 'Unknown'
    }

    It 'writes the findings as warnings once per list, not once per PSN' {
        $content = 'permit udp any any eq domain', 'deny tcp any host 10.1.1.1 eq 8449', 'deny tcp any host 10.1.1.2 eq 8449', 'permit ip any any'

        $results = Test-ComplianceDacl -Content $content -PsnAddress 10.1.1.1, 10.1.1.2 -WarningVariable warnings -WarningAction SilentlyContinue

        $results.Count | Should -Be 2
        @($warnings | Where-Object { "$_" -like '*ACL003*line 2 *' }).Count | Should -Be 1
        $results[0].Findings.Count | Should -Be 2
    }

    It 'reports an unresolvable PSN per PSN and checks the others' {
        $results = Test-ComplianceDacl -Path (Join-Path $Fixtures 'compliant.dacl.txt') -PsnAddress nosuch.example.test, 10.1.1.1 -ErrorVariable errors -ErrorAction SilentlyContinue

        $results.Psn | Should -Be '10.1.1.1'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PsnNameUnresolved,*'
        $errors[0].TargetObject | Should -Be 'nosuch.example.test'
    }

    It 'returns one bool with -Quiet' {
        $path = Join-Path $Fixtures 'compliant.dacl.txt'

        Test-ComplianceDacl -Path $path -PsnAddress 10.1.1.1, 10.1.1.2 -Quiet | Should -BeTrue
        Test-ComplianceDacl -Content 'permit ip any any' -PsnAddress 10.1.1.1 -Quiet -WarningAction SilentlyContinue | Should -BeFalse
    }

    It 'gives clear errors for empty and binary input, never a crash' {
        Test-ComplianceDacl -Content '' -PsnAddress 10.1.1.1 -ErrorVariable empty -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $empty[0].FullyQualifiedErrorId | Should -BeLike 'DaclSyntaxError,*'

        $junk = Join-Path $TestDrive 'junk.bin'
        [System.IO.File]::WriteAllBytes($junk, [byte[]](0..255))
        Test-ComplianceDacl -Path $junk -PsnAddress 10.1.1.1 -ErrorVariable binary -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        "$($binary[0])" | Should -BeLike '*binary data*'
    }

    It 'refuses a missing PSN list, a bad endpoint and a bad port' {
        { Test-ComplianceDacl -Content 'permit ip any any' -ErrorAction Stop } | Should -Throw -ErrorId 'PsnAddressMissing,PostureSync.TestComplianceDaclCommand'
        { Test-ComplianceDacl -Content 'permit ip any any' -PsnAddress 10.1.1.1 -EndpointAddress nope -ErrorAction Stop } | Should -Throw -ErrorId 'EndpointAddressInvalid,PostureSync.TestComplianceDaclCommand'
        { Test-ComplianceDacl -Content 'permit ip any any' -PsnAddress 10.1.1.1 -Port 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PostureSync.TestComplianceDaclCommand'
    }

    It 'reports a path that matches nothing' {
        Test-ComplianceDacl -Path (Join-Path $TestDrive 'none*.txt') -PsnAddress 10.1.1.1 -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }

    It 'shows the table view with the list as heading, then verdict, deciding line, PSN and port' {
        $table = Test-ComplianceDacl -Path (Join-Path $Fixtures 'compliant.dacl.txt') -PsnAddress 10.1.1.1 | Format-Table | Out-String -Width 200

        $table | Should -Match 'List: dACL '
        $table | Should -Match 'Verdict\s+Line\s+Psn\s+Port\s+Reason'
        $table | Should -Match 'Pass\s+2\s+10\.1\.1\.1\s+8449'
    }

    It 'checks each whole text from the pipeline on its own, and runs single lines together' {
        $denyFirst = "deny tcp any host 10.1.1.1 eq 8449`npermit ip any any`n"
        $permitFirst = "permit ip any any`r`ndeny tcp any host 10.1.1.1 eq 8449"

        $results = $denyFirst, $permitFirst | Test-ComplianceDacl -PsnAddress 10.1.1.1 -WarningAction SilentlyContinue

        $results.Verdict | Should -Be @('Pass', 'Fail')
        $results.DecidingLine | Should -Be @(1, 1)
        ('deny tcp any host 10.1.1.1 eq 8449', 'permit ip any any' | Test-ComplianceDacl -PsnAddress 10.1.1.1).Verdict | Should -Be 'Pass'
    }

    It 'returns False with -Quiet when a PSN, a file or a list could not be checked' {
        $path = Join-Path $Fixtures 'compliant.dacl.txt'

        Test-ComplianceDacl -Path $path -PsnAddress 10.1.1.1, nosuch.example.test -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
        Test-ComplianceDacl -Path $path, (Join-Path $TestDrive 'missing.txt') -PsnAddress 10.1.1.1 -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
        Test-ComplianceDacl -Path (Join-Path $Fixtures 'show-access-lists.per-user.txt') -AclName 'xACSACLx-IP-*', 'NOSUCH' -PsnAddress 10.1.1.1 -Quiet -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeFalse
        Test-ComplianceDacl -Path $path -PsnAddress 10.1.1.1 -Quiet | Should -BeTrue
    }

    It 'reports show output without any IP list' {
        $results = Test-ComplianceDacl -Content "Extended MAC access list M`n    permit any any" -PsnAddress 10.1.1.1 -ErrorVariable errors -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DaclListNotFound,*'
    }

    It 'binds a real and a deserialized Get-PostureSyncConfig object' {
        $dacl = Join-Path $TestDrive 'sync.dacl.txt'
        'deny tcp any host 10.1.1.1 eq 8449', 'deny tcp any host 10.1.1.2 eq 8449', 'permit ip any any' | Set-Content $dacl
        $config = Get-PostureSyncConfig -Path (Join-Path $PSScriptRoot '../Fixtures/Config/enabled.pretty.xml')
        $clixml = Join-Path $TestDrive 'config.clixml'
        $config | Export-Clixml $clixml

        $live = $config | Test-ComplianceDacl -Path $dacl -ErrorAction SilentlyContinue
        $deserialized = Import-Clixml $clixml | Test-ComplianceDacl -Path $dacl -ErrorAction SilentlyContinue

        $live.Psn | Should -Contain 'psn1.example.test (10.1.1.1)'
        $live.Verdict | Should -Not -Contain 'Fail'
        $deserialized.Psn | Should -Be $live.Psn
    }
}

Describe 'Test-ComplianceDacl -AclName completion' {
    BeforeAll {
        function Get-Completion([string] $Line) {
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
        }
        $script:ShowFile = Join-Path $Fixtures 'show-access-lists.per-user.txt'
    }

    It 'offers the list names of the -Path file, never file names' {
        $names = Get-Completion "Test-ComplianceDacl -Path '$ShowFile' -AclName "
        $names | Should -Be @('PREAUTH', 'xACSACLx-IP-COMPLIANT-636b75ac', 'xACSACLx-IPV6-COMPLIANT-5f152814')
        Get-Completion "Test-ComplianceDacl -Path '$ShowFile' -AclName xacsaclx-ipv" | Should -Be @('xACSACLx-IPV6-COMPLIANT-5f152814')
    }

    It 'reads a relative -Path wildcard from the current location, and -LiteralPath and -Text too' {
        Push-Location $Fixtures
        try {
            Get-Completion 'Test-ComplianceDacl -Path show-access-lists.per-*.txt -AclName PRE' | Should -Be @('PREAUTH')
            Get-Completion 'Test-ComplianceDacl -LiteralPath ./show-access-lists.per-user.txt -AclName xACSACLx-IP-' | Should -Be @('xACSACLx-IP-COMPLIANT-636b75ac')
        }
        finally { Pop-Location }
        Get-Completion "Test-ComplianceDacl -Text 'ip:inacl#1=deny tcp any host 10.1.1.1 eq 8449' -AclName " | Should -Be @('ip:inacl')
    }

    It 'offers nothing, and prints no error, for a missing file, a file that is not ACL text, or no input yet' {
        $png = Join-Path $TestDrive 'shot.png'
        [System.IO.File]::WriteAllBytes($png, [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13))
        $Error.Clear()
        Get-Completion "Test-ComplianceDacl -Path '$(Join-Path $TestDrive 'missing.txt')' -AclName " | Should -BeNullOrEmpty
        Get-Completion "Test-ComplianceDacl -Path '$png' -AclName " | Should -BeNullOrEmpty
        Get-Completion 'Test-ComplianceDacl -AclName ' | Should -BeNullOrEmpty -Because 'file names are never offered'
        $Error.Count | Should -Be 0
    }
}
