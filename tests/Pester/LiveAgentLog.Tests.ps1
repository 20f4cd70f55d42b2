# The live agent log end to end on Linux: a stub journalctl first on PATH prints journal JSON whose MESSAGE bodies are
# real agent bodies (the macOS lines of shared/realworld and the tech note's functions; the text of the probe error is
# not public, so it is ours), a stub systemctl records what it is asked, and the system root is a test folder.
BeforeDiscovery {
    $script:OnLinux = $IsLinux
    $script:AsRoot = $IsLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
    $script:Examples = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples')).Path
    $script:SyncOff = Join-Path $Examples 'dart/endpoint-sync-off.zip'

    $script:State = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'state')).FullName
    $script:Bin = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bin')).FullName
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'root')).FullName
    $script:Journal = Join-Path $State 'journal.jsonl'
    $script:JournalCalls = Join-Path $State 'journalctl.calls'
    $script:SystemctlCalls = Join-Path $State 'systemctl.calls'

    # journalctl: notes its arguments (one per line, a blank line between calls), prints the recorded journal.
    @"
#!/bin/sh
for a in "`$@"; do printf '%s\n' "`$a"; done >> '$JournalCalls'
echo >> '$JournalCalls'
if [ -f '$State/journal.hang' ]; then exec sleep 60; fi
cat '$Journal'
"@ | Set-Content -LiteralPath (Join-Path $Bin 'journalctl') -NoNewline
    # systemctl: only notes its arguments and exits 0, so every call it gets shows in its log.
    @"
#!/bin/sh
echo "`$*" >> '$SystemctlCalls'
exit 0
"@ | Set-Content -LiteralPath (Join-Path $Bin 'systemctl') -NoNewline
    if ($IsLinux) { & chmod 755 (Join-Path $Bin 'journalctl') (Join-Path $Bin 'systemctl') }

    # The endpoint: Secure Client 5 installed, a profile whose PSN is a loopback port nobody listens on (blocked, as
    # Compliant wants), no posture agent process in its /proc (so the health check reads the last 24 hours).
    New-Item -ItemType File -Path (Join-Path $Root 'opt/cisco/secureclient/bin/csc_iseagentd') -Force | Out-Null
    $profileFolder = New-Item -ItemType Directory -Path (Join-Path $Root 'opt/cisco/secureclient/iseposture') -Force
    Set-Content -LiteralPath (Join-Path $profileFolder 'ISEPostureCFG.xml') -Value "<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><StateSyncProbeInterval>30</StateSyncProbeInterval><StateSyncProbeList>127.0.0.1</StateSyncProbeList><NetworkTransitionDelay>10</NetworkTransitionDelay></cfg>"
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $script:ClosedPort = $listener.LocalEndpoint.Port; $listener.Stop()

    $script:Bodies = @{
        Status     = 'Function: sendUIStatus Thread Id: 0xE1ED5000 File: SwiftManager.cpp Line: 186 Level: debug :: MSG_SU_STEP_STATUS, {Status:6,Compliant:3,RemStatus:1803564464,Phase:0,StepNumber:-1,Progress:-1,Attention:0,Cancellable:0,Restartable:0,ErrorMessage:1,Description1:"System scan not required on current Wi-Fi.",Description2:""}'
        Config     = 'Function: loadXMLCfgFile Thread Id: 0xE2801000 File: ConfigData.cpp Line: 43 Level: info :: ISEPostureCFG.xml present. Using it for config'
        Start      = 'Function: PeriodicProbe::ProcessMessage Thread Id: 0xC60 File: PeriodicProbe.cpp Line: 142 Level: info :: starting the state sync probe'
        ProbeError = 'Function: PeriodicProbe::sessionSyncProbe Thread Id: 0x296C File: PeriodicProbe.cpp Line: 412 Level: error :: state sync probe reached the PSN while Compliant; disabling state sync'
    }

    # Journal entries minutes before now, oldest first, as journalctl -o json prints them.
    function Set-Journal([object[]] $Entries) {
        $now = [DateTimeOffset]::Now
        $lines = foreach ($entry in $Entries) {
            $micros = $now.AddMinutes(-$entry.MinutesAgo).ToUnixTimeMilliseconds() * 1000
            [ordered]@{ __REALTIME_TIMESTAMP = "$micros"; PRIORITY = '5'; SYSLOG_IDENTIFIER = 'csc_iseagentd'; _PID = '1170'; MESSAGE = $entry.Body } | ConvertTo-Json -Compress
        }
        Set-Content -LiteralPath $Journal -Value $lines
    }

    function Get-JournalCalls { if (Test-Path $JournalCalls) { (Get-Content -Raw -LiteralPath $JournalCalls).Trim() -split "`n`n" } else { @() } }
    function Get-SystemctlCalls { if (Test-Path $SystemctlCalls) { @(Get-Content -LiteralPath $SystemctlCalls) } else { @() } }

    $script:SwitchedOff = @(
        @{ MinutesAgo = 30; Body = $Bodies.Config }
        @{ MinutesAgo = 20; Body = $Bodies.Status }
        @{ MinutesAgo = 20; Body = $Bodies.Start }
        @{ MinutesAgo = 10; Body = $Bodies.ProbeError }
    )

    $script:SavedPath = $env:PATH
    $env:PATH = $Bin + [System.IO.Path]::PathSeparator + $env:PATH
    $env:POSTURESYNC_SYSTEM_ROOT = $Root
}

AfterAll {
    $env:PATH = $SavedPath
    Remove-Item Env:POSTURESYNC_SYSTEM_ROOT -ErrorAction SilentlyContinue
}

Describe 'The live agent log on Linux (stub journalctl)' -Skip:(-not $OnLinux) {
    BeforeEach {
        Remove-Item -LiteralPath $JournalCalls, $SystemctlCalls, (Join-Path $State 'journal.hang') -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath (Join-Path $Root 'proc') -Recurse -ErrorAction SilentlyContinue
        Set-Journal $SwitchedOff
    }

    It 'Get-DartSyncEvents with no path reads the journal with exactly the documented command' {
        $events = Get-DartSyncEvents
        $events.EventType | Should -Be @('ConfigLoaded', 'PostureStatus', 'SyncProbeControl', 'SyncProbeError')
        $events[3].Function | Should -Be 'PeriodicProbe::sessionSyncProbe'
        $events[3].Severity | Should -Be 'Error'
        $events[0].LogPath | Should -Be 'journal:csc_iseagentd'
        Get-JournalCalls | Should -Be ("--no-pager`n-o`njson`n-t`ncsc_iseagentd")
    }

    It 'passes -After as --since and keeps -Before' {
        $after = (Get-Date).AddMinutes(-25)
        $events = Get-DartSyncEvents -After $after -Before (Get-Date).AddMinutes(-15)
        $events.EventType | Should -Be @('PostureStatus', 'SyncProbeControl')
        Get-JournalCalls | Should -Be ("--no-pager`n-o`njson`n-t`ncsc_iseagentd`n--since`n" + $after.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture))
    }

    It 'says LogNotFound, with what to do, when the journal holds no agent line' {
        Set-Content -LiteralPath $Journal -Value ''
        $failure = { Get-DartSyncEvents -ErrorAction Stop } | Should -Throw -ErrorId 'LogNotFound,*' -PassThru
        "$($failure.ErrorDetails.RecommendedAction)" | Should -Match 'DART bundle'
    }

    It 'stops within a second when the pipeline is stopped while journalctl hangs' {
        Set-Content -LiteralPath (Join-Path $State 'journal.hang') -Value 1
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Get-DartSyncEvents")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $async.IsCompleted | Should -BeFalse -Because 'journalctl is still running'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'stopping must not wait for journalctl or the 60 s timeout (10 s leaves room for a busy machine)'
            $async.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
    }

    It 'the live health check sees the switch-off: Unhealthy, NeedsAgentRestart' {
        $report = Test-PostureSyncHealth -PostureStatus Compliant -Port $ClosedPort -TimeoutSec 1
        $report.Source | Should -Be 'Live'
        $report.Status | Should -Be 'Unhealthy'
        $report.NeedsAgentRestart | Should -BeTrue
        @($report.Findings -match '^Log Error: the agent logged a state-sync error').Count | Should -Be 1
        # No agent process in /proc: the last 24 hours.
        $since = [datetime]::ParseExact(@(Get-JournalCalls)[-1].Split("`n")[-1], 'yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)
        ((Get-Date) - $since).TotalHours | Should -BeGreaterThan 23.9
        ((Get-Date) - $since).TotalHours | Should -BeLessThan 24.1
    }

    It 'reads only since the agent last started, so a switch-off a restart cured does not count' {
        # A csc_iseagentd that started 5 minutes ago (after the error), in the test root's /proc.
        $boot = [DateTimeOffset]::Now.AddHours(-1).ToUnixTimeSeconds()
        New-Item -ItemType Directory -Path (Join-Path $Root 'proc/1170') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $Root 'proc/stat') -Value "cpu  1 2 3`nbtime $boot"
        Set-Content -LiteralPath (Join-Path $Root 'proc/1170/comm') -Value 'csc_iseagentd'
        Set-Content -LiteralPath (Join-Path $Root 'proc/1170/stat') -Value "1170 (csc_iseagentd) S 1 1170 1170 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 4 0 $(55 * 60 * 100) 1 1 1"

        $report = Test-PostureSyncHealth -PostureStatus Compliant -Port $ClosedPort -TimeoutSec 1
        $report.NeedsAgentRestart | Should -BeFalse
        $report.Status | Should -Not -Be 'Unhealthy'
        $since = [DateTimeOffset]::FromUnixTimeSeconds($boot + 55 * 60).LocalDateTime
        @(Get-JournalCalls)[-1].Split("`n")[-1] | Should -Be $since.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)
    }

    It 'Test-PostureSyncHealth | Restart-PostureAgent restarts exactly once' -Skip:(-not $AsRoot) {
        $run = Invoke-ChildPwsh "Import-Module '$env:POSTURESYNC_MODULE'; Test-PostureSyncHealth -Port $ClosedPort -TimeoutSec 1 | Restart-PostureAgent -PassThru | ForEach-Object { 'RESTARTED ' + `$_.Method }" -Environment @{ PATH = $env:PATH; POSTURESYNC_SYSTEM_ROOT = $Root }
        $run.Output | Should -Contain 'RESTARTED systemctl restart vpnagentd'
        # The whole call log: one line, the restart; its exit code is the proof, so nothing is queried before or after.
        @(Get-SystemctlCalls) | Should -Be @('restart vpnagentd')
    }

    It 'a bundle''s report piped in restarts nothing and says RestartNotForThisEndpoint' {
        $reports = Test-PostureSyncHealth -Path $SyncOff
        $reports.NeedsAgentRestart | Should -BeTrue -Because 'the bundle shows the switch-off, on another endpoint'
        $reports | Restart-PostureAgent -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        @(Get-SystemctlCalls).Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RestartNotForThisEndpoint,*'
        "$($errors[0])" | Should -Match "'endpoint-sync-off'"
        "$($errors[0].ErrorDetails.RecommendedAction)" | Should -Match 'Invoke-Command -ComputerName endpoint-sync-off \{ Restart-PostureAgent -Confirm:\$false \}'
    }

    It 'a CSV row and a remote result restart nothing here: <Case>' -ForEach @(
        @{ Case = 'CSV of a bundle report'; Make = { Test-PostureSyncHealth -Path $SyncOff | ConvertTo-Csv | ConvertFrom-Csv } }
        @{ Case = 'another computer''s live report'; Make = { [pscustomobject]@{ Source = 'Live'; Endpoint = 'FAR-PC'; NeedsAgentRestart = $true } } }
        @{ Case = 'this name, but from another session computer'; Make = { [pscustomobject]@{ Source = 'Live'; Endpoint = [Environment]::MachineName; NeedsAgentRestart = $true; PSComputerName = 'FAR-PC' } } }
        @{ Case = 'an object that says nothing of where it was made'; Make = { [pscustomobject]@{ NeedsAgentRestart = 'True' } } }
    ) {
        & $Make | Restart-PostureAgent -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        @(Get-SystemctlCalls).Count | Should -Be 0
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RestartNotForThisEndpoint,*'
    }
}
