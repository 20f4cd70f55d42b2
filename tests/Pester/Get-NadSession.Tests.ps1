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
