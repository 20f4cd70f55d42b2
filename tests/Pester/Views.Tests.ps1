# Every type's default table, rendered as a user sees it at 80 and 120 columns, live and deserialized (remoting):
# no header wraps, the judgement and the text that explains it are readable, names keep the part that tells rows apart.
BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Examples = Join-Path $PSScriptRoot '../../docs/examples'

    function Get-Closed {
        $socket = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $socket.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $port = $socket.LocalEndPoint.Port
        $socket.Dispose()
        $port
    }

    function ConvertTo-Deserialized($InputObject) {
        [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($InputObject, 2))
    }

    # The rendered table as lines, with each wrapped row's continuation lines joined back to its first line, so a
    # test can ask whether a whole text is readable in the column it wraps in.
    function Get-Rendered([object[]] $InputObject, [int] $Width) {
        $lines = @(($InputObject | Out-String -Width $Width) -split '\r?\n')
        $header = @(for ($i = 1; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^-+( +-+)*\s*$') { $i - 1 } })
        [pscustomobject]@{ Lines = $lines; HeaderIndexes = $header }
    }

    function Get-Column([string[]] $Lines, [int] $HeaderIndex, [string] $Label) {
        # The column runs from its dashes to the next column's; a wrapped row continues on lines whose first column
        # is blank.
        $dashes = @([regex]::Matches($Lines[$HeaderIndex + 1], '-+'))
        $start = $Lines[$HeaderIndex].IndexOf($Label)
        $next = @($dashes | Where-Object Index -gt $start | Select-Object -First 1)
        $cells = [System.Collections.Generic.List[string]]::new()
        for ($i = $HeaderIndex + 2; $i -lt $Lines.Count -and $Lines[$i].Trim(); $i++) {
            $line = $Lines[$i]
            $end = if ($next) { [Math]::Min($next[0].Index, $line.Length) } else { $line.Length }
            $text = if ($end -gt $start) { $line.Substring($start, $end - $start) } else { '' }
            $continues = -not $line.Substring(0, [Math]::Min($dashes[0].Length, $line.Length)).Trim()
            if ($cells.Count -gt 0 -and $continues) { $cells[$cells.Count - 1] += $text } else { $cells.Add($text) }
        }
        $cells | ForEach-Object { $_.TrimEnd() }
    }

    $closed = Get-Closed
    $script:Cases = @{
        PostureSyncConfig = @(Get-ChildItem (Join-Path $Examples 'dart') -Filter *.zip | Get-PostureSyncConfig) + @(Get-PostureSyncConfig (Join-Path $Examples 'profiles/cscwd58316'))
        DartSyncEvent     = @(Get-ChildItem (Join-Path $Examples 'dart') -Filter *.zip | Get-DartSyncEvents)
        DaclTestResult    = @(Test-ComplianceDacl -Path (Join-Path $Examples 'dacl/*.txt') -PsnAddress 192.0.2.11, '2001:db8:ffff:10::12' -WarningAction SilentlyContinue)
        HealthReport      = @(Get-ChildItem (Join-Path $Examples 'dart') -Filter *.zip | Test-PostureSyncHealth -WarningAction SilentlyContinue)
        PortTestResult    = @(Test-PostureSyncPort -TargetName 127.0.0.1 -Port $closed -PostureStatus Compliant -TimeoutSec 5)
        ProbeResult       = @(Invoke-PostureSyncProbe -TargetName 127.0.0.1 -Port $closed -PostureStatus Pending -TimeoutSec 5)
        AgentRestartResult = @([pscustomobject]@{
            PSTypeName = 'PostureSync.AgentRestartResult'; Name = 'csc_iseagent'; Platform = 'Windows'
            Method = 'Restart-Service csc_iseagent (Cisco Secure Client - ISE Posture Agent)'; StatusBefore = 'Running'; StatusAfter = 'Running'
            ProcessIdBefore = 4242; ProcessIdAfter = 4343; RestartedAt = [datetime]'2026-11-20 09:20:00'; Duration = [timespan]::FromSeconds(2.5)
        })
    }
    # The health report of a bundle named after a long host name.
    $script:LongEndpoint = 'pc-0123.branch-office.example.test'

    # A switch's sessions (both layouts), and the ISE types from the loopback ISE double.
    $nad = Join-Path $PSScriptRoot '../Fixtures/Nad'
    $Cases.NadSession = @(Get-NadSession -Path (Join-Path $nad 'show-access-session.iosxe.txt'), (Join-Path $nad 'show-authentication-sessions.ios15.txt'))
    . (Join-Path $PSScriptRoot '../PostureSync.IseDouble/IseDouble.ps1')
    $script:Ise = Start-IseDouble
    $Cases.IseConnection = @(Connect-IseServer $Ise.Server -Credential (New-IseDoubleCredential) -CertificateThumbprint $Ise.Thumbprint)
    $Cases.IsePsn = @(Get-IsePsn)
    $Cases.IseDacl = @(Get-IseDacl -Name POSTURE_*, COMPLIANT_*)
    $Cases.IseDaclAudit = @(Test-IseComplianceDacl)
    $Cases.IseSession = @(Get-IseSessionPosture -MacAddress 00-14-22-01-23-45)
}

AfterAll {
    if ($Ise) { $Ise.Dispose() }
}

Describe 'Default table of <Type> at <Width> columns' -ForEach @(
    foreach ($type in 'PostureSyncConfig', 'DartSyncEvent', 'DaclTestResult', 'HealthReport', 'PortTestResult', 'ProbeResult', 'AgentRestartResult',
        'NadSession', 'IseConnection', 'IsePsn', 'IseDacl', 'IseDaclAudit', 'IseSession') {
        foreach ($width in 80, 120) { foreach ($form in 'live', 'deserialized') { @{ Type = $type; Width = $width; Form = $form } } }
    }) {
    BeforeAll {
        $script:Objects = @($Cases[$Type])
        if ($Form -eq 'deserialized') { $script:Objects = @($Objects | ForEach-Object { ConvertTo-Deserialized $_ }) }
        $Objects[0].PSTypeNames[0] | Should -BeLike "*PostureSync.$Type"
        $script:View = Get-Rendered $Objects $Width
    }

    It 'is a table whose header fits on one line (<Form>)' {
        $View.HeaderIndexes.Count | Should -BeGreaterThan 0
        foreach ($index in $View.HeaderIndexes) {
            $labels = @($View.Lines[$index] -split ' +' | Where-Object { $_ })
            $dashes = @($View.Lines[$index + 1] -split ' +' | Where-Object { $_ })
            # A wrapped header puts the rest of a label on a second line and leaves the dash line shorter than the label.
            $labels.Count | Should -Be $dashes.Count
            for ($i = 0; $i -lt $labels.Count; $i++) { $dashes[$i].Length | Should -Be $labels[$i].Length }
            $View.Lines[$index - 1].Trim() | Should -Not -Match '^[A-Za-z]+$' -Because 'the line above a header is blank or a group heading'
        }
        $View.Lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
    }

    It 'shows the judgement and the text that explains it (<Form>)' {
        $first = $View.HeaderIndexes[0]
        switch ($Type) {
            'PostureSyncConfig' {
                (Get-Column $View.Lines $first 'Sync') | Should -Contain 'Enabled'
                @(Get-Column $View.Lines $first 'Client') | Should -Contain 'SecureClient5'
                $findings = @(Get-Column $View.Lines $first 'Findings')
                $findings[-1] | Should -Match '^2: PSC003 Warning: Ne' -Because 'the count and the worst finding come first'
                $findings[-1] -replace ' ' | Should -Be ("2: $(@($Objects[-1].Findings -match '^PSC003')[0])" -replace ' ') -Because 'it wraps, whole'
                $sources = @(Get-Column $View.Lines $first 'Source')
                $sources | Should -Contain 'endpoint-sync-off.zip'
                $sources[-1] | Should -Match 'cscwd58316$' -Because 'a long path keeps the folder that tells profiles apart'
            }
            'DartSyncEvent' {
                # Grouped by bundle: both bundles are named, so events from several bundles stay apart.
                ($View.Lines -match 'endpoint-healthy\.zip').Count | Should -Be 1
                ($View.Lines -match 'endpoint-sync-off\.zip').Count | Should -Be 1
                $errorRow = @($View.Lines | Where-Object { $_ -match 'SyncProbeError' })
                $errorRow | Should -HaveCount 1
                $errorRow[0] | Should -Match 'SyncProbeError +\[synthetic\] probe port reachable while Com'
            }
            'DaclTestResult' {
                $View.Lines | Should -Contain ''
                ($View.Lines -match 'List: dACL +\(.*compliant-bad\.txt\)').Count | Should -Be 1
                $reasons = @(Get-Column $View.Lines $first 'Reason')
                $bad = @($Objects | Where-Object Verdict -eq 'Fail')
                # A wrap point drops the space it falls on, so the text is compared without spaces.
                $reasons[0] -replace ' ' | Should -Be ("$($bad[0].Reason) Gets through: $($bad[0].CounterExample)" -replace ' ') -Because 'the reason and the packet that gets through wrap, whole'
                (Get-Column $View.Lines $first 'Psn') | Should -Contain '2001:db8:ffff:10::12'
                (Get-Column $View.Lines $first 'Verdict') | Should -Contain 'Fail'
            }
            'HealthReport' {
                $statuses = @(Get-Column $View.Lines $first 'Status')
                $statuses | Should -Contain 'Unhealthy'
                $row = @($View.Lines | Where-Object { $_ -match '^Unhealthy' })
                $row | Should -HaveCount 1
                $row[0] | Should -Match 'endpoint-sync-off +Compliant +True +2: Log Error: the agent'
                # The worst finding wraps, whole: the reason for the Status reads at 80 columns too. A report with
                # only Information findings says so instead of quoting one.
                $worst = @($Objects | Where-Object Status -eq 'Unhealthy')[0].Findings -match '^\S+ Error:'
                $findings = @(Get-Column $View.Lines $first 'Findings')
                $findings -replace ' ' | Should -Contain ("2: $($worst[0])" -replace ' ')
                $findings | Should -Contain '1 Information'
            }
            'PortTestResult' {
                $messages = @(Get-Column $View.Lines $first 'Message')
                $messages[0] -replace ' ' | Should -Be ($Objects[0].Message -replace ' ') -Because 'the message wraps, whole'
                (Get-Column $View.Lines $first 'Verdict') | Should -Be 'Pass'
            }
            'ProbeResult' {
                $row = $View.Lines[$first + 2]
                $row | Should -Match ('^' + ([datetime]$Objects[0].Timestamp).ToString('HH:mm:ss') + ' +1 +127\.0\.0\.1 +\d+ +Refused ')
                if ($Width -ge 120) { $row | Should -Match 'Refused +TCP connect was refused' }
            }
            'AgentRestartResult' {
                $View.Lines[$first + 2] | Should -Match '^csc_iseagent +Running +Running +2\.5 s +Windows +Restart-Service'
            }
            'NadSession' {
                # Issue 14's columns: which list the session holds and when that version was saved.
                $View.Lines[$first] | Should -Match '^Interface +MacAddress +Status +DaclName +DaclVersionTime'
                (Get-Column $View.Lines $first 'Interface') | Should -Contain 'Gi1/0/7'
                (Get-Column $View.Lines $first 'Status') | Should -Contain 'Authz Success'
            }
            'IseConnection' {
                $View.Lines[$first + 2] | Should -Match '^127\.0\.0\.1 +\d+ +ers-operator +3\.3\.0\.430 '
            }
            'IsePsn' {
                (Get-Column $View.Lines $first 'Status') | Should -Contain 'Disconnected'
                (Get-Column $View.Lines $first 'IPAddress') -replace ' ' | Should -Contain '127.0.0.11,127.0.0.21,::1' -Because 'every address of a PSN shows'
                (Get-Column $View.Lines $first 'Services') -replace ' ' | Should -Contain 'Session,DeviceAdmin'
            }
            'IseDacl' {
                (Get-Column $View.Lines $first 'Name') | Should -Contain 'POSTURE_COMPLIANT_DACL_V6'
                (Get-Column $View.Lines $first 'Type') | Should -Contain 'IP_AGNOSTIC'
            }
            'IseDaclAudit' {
                # One group per rule; in it the verdict and the whole reason, wrapped.
                ($View.Lines -match '^ +Rule: Wired_Dot1X / Compliant_Library \(profile ').Count | Should -Be 1
                $groups = @($View.HeaderIndexes)
                $shown = @(foreach ($header in $groups) {
                        $verdicts = @(Get-Column $View.Lines $header 'Verdict')
                        $reasons = @(Get-Column $View.Lines $header 'Reason')
                        for ($i = 0; $i -lt $verdicts.Count; $i++) { [pscustomobject]@{ Verdict = $verdicts[$i]; Reason = $reasons[$i] -replace ' ' } }
                    })
                $shown.Count | Should -Be $Objects.Count
                for ($i = 0; $i -lt $Objects.Count; $i++) {
                    $shown[$i].Verdict | Should -Be $Objects[$i].Verdict
                    $shown[$i].Reason | Should -Be ($Objects[$i].Reason -replace ' ') -Because "the reason of $($Objects[$i].Rule) / $($Objects[$i].PsnAddress) shows whole"
                }
                @($groups | ForEach-Object { Get-Column $View.Lines $_ 'Dacl' }) | Should -Contain '...E_COMPLIANT_DACL_V6' -Because 'a long name keeps its end, where the names of one family differ'
            }
            'IseSession' {
                $View.Lines[$first + 2] | Should -Match '^00:14:22:01:23:45 +Compliant +ise-psn1 +127\.0\.0\.57 +POSTURE_COMPLIANT'
                (Get-Column $View.Lines $first 'DaclName') -replace ' ' | Should -Contain 'POSTURE_COMPLIANT_DACL'
            }
        }
    }
}

Describe 'Health table names' {
    It 'does not cut an endpoint name of 22 characters, and cuts longer ones at the end' {
        $report = ConvertTo-Deserialized $Cases.HealthReport[0]
        $report.Endpoint = 'pc-0123.branch.example'
        (Get-Rendered $report 80).Lines -match '^Healthy +pc-0123\.branch\.example +Compliant' | Should -HaveCount 1
        $report.Endpoint = $LongEndpoint
        (Get-Rendered $report 80).Lines -match '^Healthy +pc-0123\.branch-offic' | Should -HaveCount 1
    }
}

Describe 'Sorting and exporting' {
    It 'sorts health reports worst first by StatusOrder, live and deserialized' {
        $healthy = $Cases.HealthReport | Where-Object Status -eq 'Healthy'
        $unhealthy = $Cases.HealthReport | Where-Object Status -eq 'Unhealthy'
        @($healthy, $unhealthy | Sort-Object StatusOrder).Status | Should -Be @('Unhealthy', 'Healthy')
        $remote = @($healthy, $unhealthy | ForEach-Object { ConvertTo-Deserialized $_ })
        @($remote | Sort-Object StatusOrder).Status | Should -Be @('Unhealthy', 'Healthy')
        $unhealthy.StatusOrder | Should -Be 0
        $healthy.StatusOrder | Should -Be 3
    }

    It 'exports every type to CSV with each array as readable text, by the recipe in docs/fleet.md' {
        $fleet = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/fleet.md')
        $recipe = [regex]::Match($fleet, '(?ms)^filter ConvertTo-PostureSyncCsvRow \{.*?^\}').Value
        $recipe | Should -Not -BeNullOrEmpty
        . ([scriptblock]::Create($recipe))
        foreach ($type in $Cases.Keys) {
            foreach ($object in @($Cases[$type][0], (ConvertTo-Deserialized $Cases[$type][0]))) {
                $csv = $object | ConvertTo-PostureSyncCsvRow | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
                "$($csv.PSObject.Properties.Value)" | Should -Not -Match 'System\.(String\[\]|Object\[\]|Collections)' -Because "$type exports readable text"
                if ($object.PSObject.Properties['Findings']) { $csv.Findings | Should -Be (@($object.Findings) -join ' | ') }
            }
        }
        $config = $Cases.PostureSyncConfig[0] | ConvertTo-PostureSyncCsvRow | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $config.ProbeTargets | Should -Be (@($Cases.PostureSyncConfig[0].ProbeTargets) -join ' | ')
        $config.Settings | Should -Match 'StateSyncProbeInterval=30'
    }
}
