# Switch session output is only read: nothing here is probed or resolved.
BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Fixtures = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/Nad')).Path
    $script:Seed = Join-Path $Fixtures 'seed-technote.session.md'
    $script:IosXe = Join-Path $Fixtures 'show-access-session.iosxe.txt'
    $script:Ios15 = Join-Path $Fixtures 'show-authentication-sessions.ios15.txt'
}

Describe 'Get-NadSession' {
    It 'reads the tech note''s own session output and names the dACL as ISE does' {
        $session = Get-NadSession -Path $Seed

        $session.PSTypeNames[0] | Should -Be 'PostureSync.NadSession'
        $session.Device | Should -Be 'avakhrus_3560C'
        $session.Interface | Should -Be 'FastEthernet0/12'
        $session.AcsAcl | Should -Be 'xACSACLx-IP-avakhrus_posture_probe_ACL-636b75ac'
        $session.DaclName | Should -Be 'avakhrus_posture_probe_ACL'
        $session.DaclVersion | Should -Be '636b75ac'
        $session.DaclVersionTime | Should -Be ([datetime]::new(2022, 11, 9, 9, 41, 0, [DateTimeKind]::Utc))
        $session.Source | Should -Be $Seed
    }

    It 'reads files by wildcard, from Get-ChildItem, by -LiteralPath and by a Path property' {
        @(Get-NadSession -Path (Join-Path $Fixtures 'show-access-*.txt') -ErrorAction SilentlyContinue).Count | Should -Be 5
        @(Get-ChildItem $IosXe, $Ios15 | Get-NadSession).Count | Should -Be 7
        @(Get-NadSession -LiteralPath $Ios15).Interface | Should -Be @('GigabitEthernet1/0/11', 'GigabitEthernet1/0/11')
        @([pscustomobject]@{ Path = $Ios15 } | Get-NadSession).Count | Should -Be 2
    }

    It 'reads piped lines as one text and whole texts one by one' {
        $lines = Get-Content $IosXe
        @($lines | Get-NadSession).Count | Should -Be 5
        @(Get-Content -Raw $IosXe, $Ios15 | Get-NadSession).Count | Should -Be 7
        (Get-NadSession -Content (Get-Content -Raw $Ios15))[0].Source | Should -Be '-Content'
    }

    It 'finds a posture redirect beside a dACL, a stale dACL version, and no dACL where Compliant was asked' {
        $sessions = Get-NadSession -Path $IosXe -PostureStatus Compliant

        $sessions[1].Findings | Should -HaveCount 1
        $sessions[1].Findings[0] | Should -BeLike 'NAD001 Warning: *ACL_WEBAUTH_REDIRECT*'
        $stale = $sessions | Where-Object Interface -eq 'GigabitEthernet1/0/7'
        $stale.Findings | Should -HaveCount 1
        $stale.Findings[0] | Should -BeLike 'NAD002 Warning: *xACSACLx-IP-Compliant_Access-64a351c6*2023-07-03*GigabitEthernet1/0/2 0050.5684.2f1e*669eaa40*2024-07-22*'
        ($sessions | Where-Object { $_.AcsAcl.Count -eq 0 }).Findings | ForEach-Object { $_ | Should -BeLike 'NAD003 Error: *Compliant*' }
        $sessions[0].Findings | Should -BeNullOrEmpty
        (Get-NadSession -Path $IosXe | Where-Object Interface -eq 'GigabitEthernet1/0/5').Findings | Should -BeNullOrEmpty
    }

    It 'gives one NadSessionNotFound per text that holds no session, and goes on' {
        $sessions = Get-NadSession -Path (Join-Path $Fixtures 'show-access-lists.iosxe.txt'), $Ios15 -ErrorVariable problems -ErrorAction SilentlyContinue

        @($sessions).Count | Should -Be 2
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'NadSessionNotFound,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -BeLike '*show-access-lists.iosxe.txt'
        $problems[0].ErrorDetails.RecommendedAction | Should -BeLike '*show access-session interface*details*'

        'Switch#show access-session', 'Gi1/0/2  0050.5684.2f1e dot1x DATA Auth 0A0A' | Get-NadSession -ErrorVariable none -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $none | Should -HaveCount 1
        Get-NadSession -Content @() -ErrorVariable empty -ErrorAction SilentlyContinue
        $empty[0].FullyQualifiedErrorId | Should -BeLike 'NadSessionNotFound,*'
    }

    It 'refuses a folder and a missing file as errors for that path' {
        Get-NadSession -LiteralPath $Fixtures -ErrorVariable folder -ErrorAction SilentlyContinue
        $folder[0].FullyQualifiedErrorId | Should -BeLike 'NadSessionPathIsFolder,*'
        Get-NadSession -Path (Join-Path $TestDrive 'none.txt') -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }

    It 'shows interface, MAC, status, dACL name and version time at 80 columns, live and deserialized' {
        $sessions = Get-NadSession -Path $IosXe
        $copies = $sessions | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }
        $copies[0].PSTypeNames[0] | Should -Be 'Deserialized.PostureSync.NadSession'

        foreach ($set in @($sessions), @($copies)) {
            $table = $set | Format-Table | Out-String -Width 80
            $table | Should -Match 'Interface\s+MacAddress\s+Status\s+DaclName\s+DaclVersionTime'
            $table | Should -Match 'Gi1/0/2\s+0050\.5684\.2f1e\s+Authorized\s+Compliant_Access\s+2024-07-22 18:51'
            ($table -split "`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
            $list = $set[0] | Format-List | Out-String -Width 120
            $list | Should -Match 'DaclVersionTime\s*:\s*2024-07-22 18:51:44 UTC \[inferred\]'
            $list | Should -Match 'AcsAcl\s*:\s*xACSACLx-IP-Compliant_Access-669eaa40'
        }
    }
}

Describe 'Get-NadSession | Test-ComplianceDacl' {
    BeforeAll {
        $script:ShowAcl = Join-Path $Fixtures 'show-access-lists.iosxe.txt'
        $script:Psns = '10.1.1.1', '10.1.1.2'
    }

    It 'checks exactly the lists the sessions hold and reports per session' {
        $results = Get-NadSession $IosXe | Test-ComplianceDacl -Path $ShowAcl -PsnAddress $Psns -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $results | Should -HaveCount 6
        ($results | ForEach-Object { '{0} {1} {2} {3}' -f $_.Interface, $_.MacAddress, $_.AclName, $_.Verdict }) | Should -Be @(
            'GigabitEthernet1/0/2 0050.5684.2f1e xACSACLx-IP-Compliant_Access-669eaa40 Pass'
            'GigabitEthernet1/0/2 0050.5684.2f1e xACSACLx-IP-Compliant_Access-669eaa40 Pass'
            'GigabitEthernet1/0/2 0050.5684.9a10 xACSACLx-IP-Posture_Pending-5f152814 Fail'
            'GigabitEthernet1/0/2 0050.5684.9a10 xACSACLx-IP-Posture_Pending-5f152814 Fail'
            'GigabitEthernet1/0/7 0050.5684.77aa xACSACLx-IP-Compliant_Access-64a351c6 Pass'
            'GigabitEthernet1/0/7 0050.5684.77aa xACSACLx-IP-Compliant_Access-64a351c6 Fail'
        )
        $results[0].Device | Should -Be 'access-sw1'
        $results[0].SessionId | Should -Be '0A0A0A0B000000193CD88C59'
        $results[0].Source | Should -Be $ShowAcl
        $results.AclName | Should -Not -Contain 'ACL_WEBAUTH_REDIRECT'

        $notInOutput = @($problems | Where-Object FullyQualifiedErrorId -like 'DaclNotInOutput,*')
        $notInOutput | Should -HaveCount 1
        $notInOutput[0].TargetObject | Should -Be 'xACSACLx-IPV6-Compliant_Access-669eaa28'
        $notInOutput[0].ErrorDetails.RecommendedAction | Should -BeLike '*show access-lists | section xACSACLx-IPV6-Compliant_Access-669eaa28* on access-sw1*'
        $notInOutput[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @($problems | Where-Object FullyQualifiedErrorId -like 'NadSessionHasNoDacl,*').TargetObject | Should -Be @('0A0A0A0B000000213CD89A01', '0A0A0A0B000000223CD89B77')
    }

    It 'checks each distinct list once across many sessions, with a result for each session' {
        $once = Get-NadSession -Path $IosXe | Test-ComplianceDacl -Path $ShowAcl -PsnAddress $Psns -WarningVariable onceWarnings -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $thrice = Get-Content -Raw $IosXe, $IosXe, $IosXe | Get-NadSession | Test-ComplianceDacl -Path $ShowAcl -PsnAddress $Psns -WarningVariable thriceWarnings -ErrorVariable thriceErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $thrice | Should -HaveCount (3 * $once.Count)
        $onceWarnings.Count | Should -BeGreaterThan 0
        $thriceWarnings.Count | Should -Be $onceWarnings.Count
        # The same missing list on the same device is one error, naming how many sessions hold it.
        $missing = @($thriceErrors | Where-Object FullyQualifiedErrorId -like 'DaclNotInOutput,*')
        $missing | Should -HaveCount 1
        $missing[0].Exception.Message | Should -BeLike 'xACSACLx-IPV6-Compliant_Access-669eaa28, held by 3 sessions (GigabitEthernet1/0/2 0050.5684.2f1e, *) on access-sw1, is not in *show-access-lists.iosxe.txt.'
    }

    It 'binds AcsAcl to -AclName, also from deserialized sessions, and -Quiet says False when a list was missing' {
        $parameter = (Get-Command Test-ComplianceDacl).Parameters['AclName']
        $parameter.Aliases | Should -Contain 'AcsAcl'
        $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Contain $true

        $copies = Get-NadSession $IosXe | Select-Object -First 2 | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }
        ($copies | Test-ComplianceDacl -Path $ShowAcl -PsnAddress $Psns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue).Verdict | Should -Be @('Pass', 'Pass', 'Fail', 'Fail')
        $copies[0] | Test-ComplianceDacl -Path $ShowAcl -PsnAddress $Psns -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
        Get-NadSession $Seed | Test-ComplianceDacl -Path $ShowAcl -PsnAddress $Psns -Quiet -ErrorVariable seedErrors -ErrorAction SilentlyContinue | Should -BeFalse
        $seedErrors[0].ErrorDetails.RecommendedAction | Should -BeLike '*section xACSACLx-IP-avakhrus_posture_probe_ACL-636b75ac* on avakhrus_3560C*'
    }

    It 'leaves the checks of lists given on their own as they were' {
        $plain = Test-ComplianceDacl -Path $ShowAcl -PsnAddress $Psns -WarningAction SilentlyContinue
        $plain.AclName | Select-Object -Unique | Should -Be @('xACSACLx-IP-Compliant_Access-669eaa40', 'xACSACLx-IP-Compliant_Access-64a351c6', 'xACSACLx-IP-Posture_Pending-5f152814')
        $plain | Where-Object { $_.Interface -or $_.MacAddress -or $_.Device } | Should -BeNullOrEmpty
    }
}
