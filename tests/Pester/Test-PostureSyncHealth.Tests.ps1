BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
    . (Join-Path $PSScriptRoot 'Support/Zip.ps1')
    $script:Examples = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples')).Path
    $script:SyncOff = Join-Path $Examples 'dart/endpoint-sync-off.zip'
    $script:Healthy = Join-Path $Examples 'dart/endpoint-healthy.zip'
    $script:Ns = 'http://www.cisco.com/nac/agent/config-1.0'

    function New-Profile([string] $Folder, [string] $Targets, [int] $Delay = 10, [int] $Interval = 30) {
        New-Item -ItemType Directory -Path $Folder -Force | Out-Null
        $file = Join-Path $Folder 'ISEPostureCFG.xml'
        Set-Content -LiteralPath $file -Value "<cfg xmlns='$Ns'><StateSyncProbeInterval>$Interval</StateSyncProbeInterval><StateSyncProbeList>$Targets</StateSyncProbeList><NetworkTransitionDelay>$Delay</NetworkTransitionDelay></cfg>"
        $file
    }

    function Get-FreePort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }
}

Describe 'Test-PostureSyncHealth offline, from DART bundles' {
    It 'names the endpoint from the bundle''s systeminfo.txt when it holds a host name, else by the file name' {
        $log = Join-Path $TestDrive 'AnyConnect_ISEPosture.txt'
        $profileFile = Join-Path $Examples 'profiles/healthy/ISEPostureCFG.xml'
        [System.IO.Compression.ZipFile]::OpenRead($Healthy).Entries | Where-Object Name -eq 'AnyConnect_ISEPosture.txt' | ForEach-Object {
            [System.IO.Compression.ZipFileExtensions]::ExtractToFile($_, $log, $true)
        }
        $named = Join-Path $TestDrive 'user-upload-1.zip'
        New-Zip $named @{ 'DART/Logs/AnyConnect_ISEPosture.txt' = $log; 'DART/Config/ISEPostureCFG.xml' = $profileFile } @{ 'DART/General Information/systeminfo.txt' = "`r`nHost Name:                 PC42`r`nOS Name:                   Microsoft Windows 11 Pro`r`n" }
        $hostile = Join-Path $TestDrive 'user-upload-2.zip'
        New-Zip $hostile @{ 'DART/Logs/AnyConnect_ISEPosture.txt' = $log } @{ 'DART/General Information/systeminfo.txt' = "Host Name: <img src=x onerror=alert(1)>`r`n" }

        $reports = Test-PostureSyncHealth -Path $named, $hostile, $Healthy -Verbose 4>&1 | Group-Object { $_ -is [System.Management.Automation.VerboseRecord] } -AsHashTable -AsString
        $reports['False'].Endpoint | Should -Be @('PC42', 'user-upload-2', 'endpoint-healthy')
        $reports['False'][0].Source | Should -Be $named
        @($reports['True'].Message -match "Endpoint name 'PC42' from DART/General Information/systeminfo.txt .*\[inferred").Count | Should -Be 1
    }

    It 'finds that state sync switched itself off and asks for an agent restart' {
        $report = Test-PostureSyncHealth -Path $SyncOff
        $report.PSTypeNames[0] | Should -Be 'PostureSync.HealthReport'
        $report.Status | Should -Be 'Unhealthy'
        $report.NeedsAgentRestart | Should -BeTrue
        $report.PostureStatus | Should -Be 'Compliant'
        $report.Source | Should -Be $SyncOff
        $report.Endpoint | Should -Be 'endpoint-sync-off'
        @($report.Findings -match '^Log Error: .* -> .*Restart-PostureAgent').Count | Should -Be 1
    }

    It 'gives one report per bundle from Get-ChildItem, and a healthy bundle is Healthy' {
        $reports = Get-ChildItem (Join-Path $Examples 'dart') -Filter *.zip | Sort-Object Name | Test-PostureSyncHealth
        @($reports).Count | Should -Be 2
        $reports[0].Status | Should -Be 'Healthy'
        $reports[0].NeedsAgentRestart | Should -BeFalse
        $reports[1].Status | Should -Be 'Unhealthy'
    }

    It 'checks each zip in a folder of DART bundles, and an extracted bundle folder as one' {
        $share = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'share') -Force
        Copy-Item $SyncOff, $Healthy $share
        $reports = Test-PostureSyncHealth -Path $share
        @($reports.Endpoint) | Should -Be @('endpoint-healthy', 'endpoint-sync-off')

        $extracted = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'extracted') -Force
        [System.IO.Compression.ZipFile]::ExtractToDirectory($SyncOff, $extracted.FullName)
        $report = Test-PostureSyncHealth -LiteralPath $extracted.FullName
        @($report).Count | Should -Be 1
        $report.Status | Should -Be 'Unhealthy'
        $report.NeedsAgentRestart | Should -BeTrue
    }

    It 'checks a dACL against the bundle''s targets, resolving names only through the hosts file' {
        $hosts = Join-Path $TestDrive 'hosts'
        Set-Content -LiteralPath $hosts -Value "192.0.2.11 psn1.example.test`n192.0.2.12 psn2.example.test"
        $env:POSTURESYNC_HOSTS_FILE = $hosts
        try {
            $bad = Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/compliant-bad.txt')
            $good = Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/compliant-good.txt')
        }
        finally { Remove-Item Env:POSTURESYNC_HOSTS_FILE }
        $bad.Status | Should -Be 'Unhealthy'
        @($bad.Findings -match '^Dacl Error:').Count | Should -BeGreaterThan 0
        # psn3 has no address in the hosts file: the good dACL still cannot be proven for it.
        @($good.Findings -match '^Dacl Error:').Count | Should -Be 0
        @($good.Findings -match 'psn3.example.test').Count | Should -BeGreaterThan 0
    }

    It 'resolves no name offline without a hosts file, and says so' {
        $report = Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/compliant-good.txt')
        $report.Status | Should -Be 'Degraded'
        @($report.Findings -match '^Dacl Warning: the dACL could not be checked').Count | Should -Be 1
    }

    It 'reports a missing bundle as PathNotFound and a missing dACL as DaclNotFound' {
        Test-PostureSyncHealth -Path (Join-Path $TestDrive 'none.zip') -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        { Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $TestDrive 'none.txt') -ErrorAction Stop } | Should -Throw -ErrorId 'DaclNotFound,*'
        { Test-PostureSyncHealth -Path $Healthy -DaclPath $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'DaclPathIsFolder,*'
    }

    It 'answers -Quiet with one bool' {
        Test-PostureSyncHealth -Path $Healthy -Quiet | Should -BeExactly $true
        Test-PostureSyncHealth -Path $Healthy, $SyncOff -Quiet | Should -BeExactly $false
    }

    It 'pipes into Restart-PostureAgent, which restarts nothing for a report that does not need it, nor for a bundle''s' {
        $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'root') -Force
        $env:POSTURESYNC_SYSTEM_ROOT = $root.FullName
        try {
            Test-PostureSyncHealth -Path $Healthy | Restart-PostureAgent -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors.Count | Should -Be 0 -Because 'a healthy report asks for nothing, so not even AgentNotFound comes up'
            Test-PostureSyncHealth -Path $SyncOff | Restart-PostureAgent -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'RestartNotForThisEndpoint,*'
        }
        finally { Remove-Item Env:POSTURESYNC_SYSTEM_ROOT }
    }

    It 'reports a damaged or non-zip bundle as DartBundleInvalid with no report, and goes on with the next' {
        $notZip = Join-Path $TestDrive 'not-a-zip.zip'
        Set-Content -LiteralPath $notZip -Value 'this is no zip archive'
        $bytes = [System.IO.File]::ReadAllBytes($Healthy)
        $truncated = Join-Path $TestDrive 'truncated.zip'
        [System.IO.File]::WriteAllBytes($truncated, $bytes[0..([int]($bytes.Length / 2))])

        $reports = Test-PostureSyncHealth -LiteralPath $notZip, $truncated, $Healthy -ErrorVariable errors -ErrorAction SilentlyContinue
        @($reports).Count | Should -Be 1
        $reports.Source | Should -Be $Healthy
        $errors.Count | Should -Be 2
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -BeLike 'DartBundleInvalid,*'
            $_.CategoryInfo.Category | Should -Be 'InvalidData'
        }
        $errors[0].TargetObject | Should -Be $notZip
    }

    It 'reports one unreadable bundle among three as one DartBundleUnreadable error, with the two other reports' {
        # A bundle the system refuses to read: locked on Windows; elsewhere a file with no read permission, or, for root
        # (who reads any file), a name for a kernel setting that is write-only even to root.
        $unreadable = Join-Path $TestDrive 'endpoint-unreadable.zip'
        $lock = $null
        if ($IsWindows) {
            Copy-Item $Healthy $unreadable
            $lock = [System.IO.File]::Open($unreadable, 'Open', 'ReadWrite', 'None')
        }
        elseif ((id -u) -ne '0') {
            Copy-Item $Healthy $unreadable
            chmod 000 $unreadable
        }
        elseif ($IsLinux) {
            New-Item -ItemType SymbolicLink -Path $unreadable -Target '/proc/sys/vm/drop_caches' | Out-Null
        }
        else {
            Set-ItResult -Skipped -Because 'root on macOS can read every file'
            return
        }

        try {
            $reports = Test-PostureSyncHealth -LiteralPath $Healthy, $unreadable, $SyncOff -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        finally {
            if ($lock) { $lock.Dispose() }
        }
        @($reports).Count | Should -Be 2
        @($reports.Source) | Should -Be @($Healthy, $SyncOff)
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DartBundleUnreadable,*'
        $errors[0].TargetObject | Should -Be $unreadable
        $errors[0].CategoryInfo.Category | Should -BeIn 'PermissionDenied', 'ResourceUnavailable'
        $errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'is Unknown, not Healthy, for a bundle without the agent log, and Unknown without a profile' {
        $noLog = Join-Path $TestDrive 'no-log.zip'
        New-Zip $noLog @{ 'DART/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml' = (Join-Path $Examples 'profiles/healthy/ISEPostureCFG.xml') }
        $report = Test-PostureSyncHealth -Path $noLog
        $report.Status | Should -Be 'Unknown'
        $report.StateSyncEnabled | Should -BeTrue
        @($report.Findings -match '^Log Warning: the bundle holds no readable agent log .* -> ').Count | Should -Be 1

        $noProfile = Join-Path $TestDrive 'no-profile.zip'
        New-Zip $noProfile @{} @{ 'DART/AnyConnect_ISEPosture.txt' = '' }
        $report = Test-PostureSyncHealth -Path $noProfile
        $report.Status | Should -Be 'Unknown'
        $report.StateSyncEnabled | Should -BeNullOrEmpty
        @($report.Findings -match '^Profile Error: no posture profile could be read \(ConfigNotFound').Count | Should -Be 1
    }

    It 'judges the Secure Client 5 profile when an upgrade left the AnyConnect 4 one in the bundle' {
        $both = Join-Path $TestDrive 'upgraded.zip'
        $zip = [System.IO.Compression.ZipFile]::Open($both, 'Create')
        try {
            # AnyConnect 4's profile comes first in the archive and is newer: neither may make it the one judged.
            $entries = [ordered]@{
                'DART/Cisco AnyConnect Secure Mobility Client/ISE Posture/ISEPostureCFG.xml' = "<cfg xmlns='$Ns'><StateSyncProbeInterval>0</StateSyncProbeInterval></cfg>"
                'DART/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml' = [System.IO.File]::ReadAllText((Join-Path $Examples 'profiles/healthy/ISEPostureCFG.xml'))
            }
            $stamp = [DateTimeOffset]::new(2026, 1, 2, 0, 0, 0, [TimeSpan]::Zero)
            foreach ($name in $entries.Keys) {
                $entry = $zip.CreateEntry($name)
                $entry.LastWriteTime = $stamp
                $stamp = $stamp.AddDays(-1)
                $writer = [System.IO.StreamWriter]::new($entry.Open())
                try { $writer.Write($entries[$name]) } finally { $writer.Dispose() }
            }
            $source = [System.IO.Compression.ZipFile]::OpenRead($Healthy)
            try {
                $log = $source.Entries | Where-Object Name -eq 'AnyConnect_ISEPosture.txt'
                $reader = [System.IO.StreamReader]::new($log.Open())
                try { $text = $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            finally { $source.Dispose() }
            $writer = [System.IO.StreamWriter]::new($zip.CreateEntry('DART/AnyConnect_ISEPosture.txt').Open())
            try { $writer.Write($text) } finally { $writer.Dispose() }
        }
        finally { $zip.Dispose() }

        $report = Test-PostureSyncHealth -Path $both
        $report.StateSyncEnabled | Should -BeTrue
        $report.Status | Should -Be 'Healthy'
        @($report.Findings -match '^Profile Information: 2 profiles found; judged .*Cisco Secure Client.* \(SecureClient5\).*set aside .*AnyConnect.* \(AnyConnect4\) -> ').Count | Should -Be 1
    }

    It 'tells each check with -Verbose' {
        $verbose = Test-PostureSyncHealth -Path $Healthy -DaclPath (Join-Path $Examples 'dacl/compliant-good.txt') -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        foreach ($check in 'Profile check:', 'Log check:', 'dACL check:') {
            @($verbose -like "$check*").Count | Should -BeGreaterThan 0 -Because "-Verbose should tell the $check"
        }
    }

    It 'writes progress across many bundles a few times a second at most' {
        $many = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'many') -Force
        1..120 | ForEach-Object { Copy-Item $Healthy (Join-Path $many "endpoint-$_.zip") }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Get-ChildItem -LiteralPath '$($many.FullName)' -Filter *.zip | Test-PostureSyncHealth")
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $reports = $ps.Invoke()
            $seconds = $watch.Elapsed.TotalSeconds
            $reports.Count | Should -Be 120
            $updates = @($ps.Streams.Progress | Where-Object RecordType -ne 'Completed')
            $updates.Count | Should -BeGreaterThan 0
            $updates.Count | Should -BeLessOrEqual ([math]::Ceiling($seconds * 4) + 1) -Because "$($updates.Count) updates in $([math]::Round($seconds, 2)) s"
            @($ps.Streams.Progress | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
        }
        finally { $ps.Dispose() }
    }

    It 'renders the table view' {
        (Test-PostureSyncHealth -Path $SyncOff | Format-Table | Out-String -Width 200) | Should -Match 'Status\s+Endpoint\s+Posture\s+Restart\s+Findings'
    }
}

Describe 'Test-PostureSyncHealth live, on loopback' {
    BeforeAll {
        $script:Root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'live') -Force
        New-Profile (Join-Path $Root 'opt/cisco/secureclient/iseposture') 'psn1.example.test,psn2.example.test' | Out-Null
        $script:Hosts = Join-Path $TestDrive 'live-hosts'
        Set-Content -LiteralPath $Hosts -Value "127.0.0.1 psn1.example.test`n127.0.0.2 psn2.example.test"
        $script:Port = Get-FreePort
        $script:Listeners = @(
            [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse('127.0.0.1'), $Port)
        )
        $Listeners | ForEach-Object { $_.Start() }
        $env:POSTURESYNC_SYSTEM_ROOT = $Root.FullName
        $env:POSTURESYNC_HOSTS_FILE = $Hosts
        # The agent's live log: a journal that holds none of its lines (LiveAgentLog.Tests.ps1 covers one that does).
        $script:StubBin = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'live-bin') -Force).FullName
        Set-Content -LiteralPath (Join-Path $StubBin 'journalctl') -Value "#!/bin/sh`nexit 0" -NoNewline
        if ($IsLinux) { & chmod 755 (Join-Path $StubBin 'journalctl') }
        $script:SavedPath = $env:PATH
        $env:PATH = $StubBin + [System.IO.Path]::PathSeparator + $env:PATH
    }

    AfterAll {
        $Listeners | ForEach-Object { $_.Stop() }
        $env:PATH = $SavedPath
        Remove-Item Env:POSTURESYNC_SYSTEM_ROOT, Env:POSTURESYNC_HOSTS_FILE -ErrorAction SilentlyContinue
    }

    It 'is Unhealthy when a probe target''s port is reachable while Compliant' {
        $report = Test-PostureSyncHealth -PostureStatus Compliant -Port $Port -TimeoutSec 1
        $report.Source | Should -Be 'Live'
        $report.Endpoint | Should -Be ([Environment]::MachineName)
        $report.Status | Should -Be 'Unhealthy'
        @($report.Findings -match "^Port Error: psn1.example.test \(127.0.0.1\):$Port is reachable while Compliant").Count | Should -Be 1
        $report.NeedsAgentRestart | Should -BeFalse
    }

    It 'is Degraded while Pending when one target cannot be reached, and says the log is not available here' {
        $report = Test-PostureSyncHealth -PostureStatus Pending -Port $Port -TimeoutSec 1
        $report.Status | Should -Be 'Degraded'
        @($report.Findings -match "^Port Warning: psn2.example.test \(127.0.0.2\):$Port is Closed while Pending").Count | Should -Be 1
        @($report.Findings -match '^Log ').Count | Should -Be 1
        @($report.Findings -match "^Log Warning: the agent's live log was not read \(LogNotFound: .*journal holds no lines of csc_iseagentd").Count | Should -Be 1
        $report.ChecksPassed | Should -Be 3
    }

    It 'stops within a second when the pipeline is stopped during the port check' {
        # Backlog 0, filled by one connection, never accepting: the kernel drops further SYNs, so the connect hangs.
        $listener = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $filler = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $ps = [powershell]::Create()
        try {
            $listener.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Parse('127.0.0.2'), 0))
            $listener.Listen(0)
            $filler.Connect($listener.LocalEndPoint)
            $null = $ps.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Test-PostureSyncHealth -PostureStatus Pending -Port $($listener.LocalEndPoint.Port) -TimeoutSec 60")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $async.IsCompleted | Should -BeFalse -Because 'the connect to the filtered port is still waiting'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'stopping must not wait out the 60 s timeout (10 s leaves room for a busy machine)'
            $async.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose(); $filler.Dispose(); $listener.Dispose() }
    }
}

Describe 'Invoke-PostureSyncHealthCheck.ps1 for scheduled tasks' {
    BeforeAll {
        $script:Script = Join-Path (Split-Path $env:POSTURESYNC_MODULE) 'Invoke-PostureSyncHealthCheck.ps1'
        $script:Degraded = Join-Path $TestDrive 'degraded.zip'
        $source = [System.IO.Compression.ZipFile]::OpenRead($Healthy)
        try {
            $reader = [System.IO.StreamReader]::new(($source.Entries | Where-Object Name -eq 'AnyConnect_ISEPosture.txt').Open())
            try { $log = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $source.Dispose() }
        New-Zip $Degraded @{ 'DART/ISEPostureCFG.xml' = (Join-Path $Examples 'profiles/cscwd58316/ISEPostureCFG.xml') } @{ 'DART/AnyConnect_ISEPosture.txt' = $log }

        function Invoke-Check([string] $Arguments) {
            $log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.jsonl')
            $run = Invoke-ChildPwsh "& '$Script' $Arguments -LogPath '$log'; exit `$LASTEXITCODE"
            [pscustomobject]@{ ExitCode = $run.ExitCode; Lines = @(if (Test-Path $log) { Get-Content $log }); Output = $run.Output }
        }
    }

    It 'exits <Code> for a <Status> bundle and appends one JSON line' -ForEach @(
        @{ Bundle = 'Healthy'; Status = 'Healthy'; Code = 0 }
        @{ Bundle = 'Degraded'; Status = 'Degraded'; Code = 1 }
        @{ Bundle = 'SyncOff'; Status = 'Unhealthy'; Code = 2 }
    ) {
        $path = Get-Variable -Name $Bundle -ValueOnly
        $run = Invoke-Check "-Path '$path'"
        $run.ExitCode | Should -Be $Code -Because ($run.Output -join "`n")
        $run.Lines.Count | Should -Be 1
        $entry = $run.Lines[0] | ConvertFrom-Json
        $entry.Status | Should -Be $Status
        $entry.ExitCode | Should -Be $Code
        $entry.Reports[0].Source | Should -Be $path
        $run.Lines[0][0] | Should -Be '{' -Because 'no byte-order mark may precede a JSON line'
    }

    It 'exits 3 and still logs a line when the check itself fails' {
        $run = Invoke-Check "-Path '$Healthy' -DaclPath '$(Join-Path $TestDrive 'missing.txt')'"
        $run.ExitCode | Should -Be 3
        $entry = $run.Lines[0] | ConvertFrom-Json
        $entry.Status | Should -Be 'Failed'
        $entry.Error | Should -Match 'missing.txt'
    }

    It 'keeps every finding as a JSON array of strings' {
        $run = Invoke-Check "-Path '$SyncOff'"
        $entry = $run.Lines[0] | ConvertFrom-Json
        $findings = @($entry.Reports[0].Findings)
        $findings.Count | Should -BeGreaterThan 1
        $findings | ForEach-Object { $_ | Should -BeOfType [string]; $_ | Should -Match '^\w+ (Error|Warning|Information): .+ -> .+' }
        $entry.Reports[0].NeedsAgentRestart | Should -BeTrue
    }

    It 'exits 3 and still logs a line for <Case>, without prompting' -ForEach @(
        @{ Case = 'a posture status that is not one'; Arguments = "-PostureStatus Bogus"; Error = 'Bogus' }
        @{ Case = 'an argument it does not take'; Arguments = "-Force"; Error = "'-Force' is not a parameter of this script" }
    ) {
        $run = Invoke-Check "-Path '$Healthy' $Arguments"
        $run.ExitCode | Should -Be 3 -Because ($run.Output -join "`n")
        $run.Lines.Count | Should -Be 1
        $entry = $run.Lines[0] | ConvertFrom-Json
        $entry.Status | Should -Be 'Failed'
        $entry.Error | Should -Match ([regex]::Escape($Error))
    }

    It 'exits with the worst readable verdict when one bundle cannot be read, and lists it with its ErrorId' {
        $broken = Join-Path $TestDrive 'broken.zip'
        Set-Content -LiteralPath $broken -Value 'no zip'
        $run = Invoke-Check "-Path '$Healthy', '$broken', '$SyncOff'"
        $run.ExitCode | Should -Be 2 -Because ($run.Output -join "`n")
        $entry = $run.Lines[0] | ConvertFrom-Json
        $entry.Status | Should -Be 'Unhealthy'
        $entry.Error | Should -BeNullOrEmpty
        @($entry.Reports).Count | Should -Be 2
        @($entry.Unreadable).Count | Should -Be 1
        $entry.Unreadable[0].ErrorId | Should -Be 'DartBundleInvalid'
        $entry.Unreadable[0].Path | Should -Be $broken
        $entry.Unreadable[0].Message | Should -Match 'broken\.zip'
    }

    It 'exits 3 when no bundle could be read, naming each ErrorId' {
        $broken = Join-Path $TestDrive 'only-broken.zip'
        Set-Content -LiteralPath $broken -Value 'no zip'
        $run = Invoke-Check "-Path '$broken'"
        $run.ExitCode | Should -Be 3
        $entry = $run.Lines[0] | ConvertFrom-Json
        $entry.Status | Should -Be 'Failed'
        $entry.Error | Should -Match '^Nothing could be checked\. DartBundleInvalid: .*only-broken\.zip'
        $entry.Unreadable[0].ErrorId | Should -Be 'DartBundleInvalid'
    }

    Context 'run as a task runs it: pwsh -File with plain words' {
        BeforeAll {
            $script:Share = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'share') -Force
            Copy-Item $Healthy, $SyncOff -Destination $Share
            $script:Launch = @(if ([System.IO.Path]::GetFileNameWithoutExtension((Get-Process -Id $PID).Path) -in 'pwsh', 'powershell') { (Get-Process -Id $PID).Path } else { (Get-Process -Id $PID).Path; Join-Path $PSHOME 'pwsh.dll' })

            function Invoke-File([string[]] $Arguments) {
                $log = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.jsonl')
                $exe = $Launch[0]; $rest = @($Launch | Select-Object -Skip 1)
                $output = & $exe @rest -NoProfile -NonInteractive -File $Script @Arguments -LogPath $log 2>&1
                [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @(if (Test-Path $log) { Get-Content $log }); Output = @($output | ForEach-Object { "$_" }) }
            }
        }

        It 'checks several bundles given as <Form>' -ForEach @(
            @{ Form = '-Path a.zip b.zip'; Arguments = { @('-Path', (Join-Path $Share 'endpoint-healthy.zip'), (Join-Path $Share 'endpoint-sync-off.zip')) } }
            @{ Form = '-Path "a.zip,b.zip"'; Arguments = { @('-Path', ((Join-Path $Share 'endpoint-healthy.zip') + ',' + (Join-Path $Share 'endpoint-sync-off.zip'))) } }
            @{ Form = 'a wildcard'; Arguments = { @('-Path', (Join-Path $Share '*.zip')) } }
        ) {
            $run = Invoke-File (& $Arguments)
            $run.ExitCode | Should -Be 2 -Because ($run.Output -join "`n")
            $entry = $run.Lines[0] | ConvertFrom-Json
            @($entry.Reports.Status | Sort-Object) | Should -Be @('Healthy', 'Unhealthy')
        }

        It 'checks every bundle of dart/*.zip expanded by the shell' -Skip:($IsWindows) {
            $log = Join-Path $TestDrive 'expanded.jsonl'
            $command = (@($Launch | ForEach-Object { "'$_'" }) -join ' ') + " -NoProfile -NonInteractive -File '$Script' -Path share/*.zip -LogPath '$log'"
            $output = & sh -c "cd '$TestDrive' && $command" 2>&1
            $LASTEXITCODE | Should -Be 2 -Because ($output -join "`n")
            @((Get-Content $log | ConvertFrom-Json).Reports).Count | Should -Be 2
        }

        It 'fails a stray word with a message about the word, exit code 3' -ForEach @(
            @{ Arguments = @('-PostureStatus', 'Compliant', 'Pending'); Says = "'Pending' is not a value of any parameter" }
            @{ Arguments = @('-Path', 'nowhere-to-be-found.zip', 'stray'); Says = "'stray' follows -Path but no file or folder has that name" }
            @{ Arguments = @('-Force'); Says = "'-Force' is not a parameter of this script" }
        ) {
            $run = Invoke-File $Arguments
            $run.ExitCode | Should -Be 3 -Because ($run.Output -join "`n")
            ($run.Lines[0] | ConvertFrom-Json).Error | Should -Match ([regex]::Escape($Says))
        }

        It 'passes -Port and -TimeoutSec through to the live check' {
            $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'task-live') -Force
            New-Profile (Join-Path $root 'opt/cisco/secureclient/iseposture') 'psn1.example.test' | Out-Null
            $hosts = Join-Path $TestDrive 'task-hosts'
            Set-Content -LiteralPath $hosts -Value '127.0.0.1 psn1.example.test'
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            try {
                $port = $listener.LocalEndpoint.Port
                $env:POSTURESYNC_SYSTEM_ROOT = $root.FullName; $env:POSTURESYNC_HOSTS_FILE = $hosts
                $run = Invoke-File @('-PostureStatus', 'Compliant', '-Port', "$port", '-TimeoutSec', '5')
            }
            finally { $listener.Stop(); Remove-Item Env:POSTURESYNC_SYSTEM_ROOT, Env:POSTURESYNC_HOSTS_FILE -ErrorAction SilentlyContinue }
            $run.ExitCode | Should -Be 2 -Because ($run.Output -join "`n")
            @(($run.Lines[0] | ConvertFrom-Json).Reports[0].Findings -match ":$port is reachable while Compliant").Count | Should -Be 1
        }

        It 'fails a -Port or -TimeoutSec that is not a number in range, exit code 3' {
            (Invoke-File @('-Path', $Healthy, '-Port', 'https')).Lines[0] | ConvertFrom-Json | ForEach-Object Error | Should -Match "-Port 'https' is not a number"
            (Invoke-File @('-Path', $Healthy, '-TimeoutSec', '0')).ExitCode | Should -Be 3
        }

        It 'keeps the verdict when the log cannot be written, and says so once' {
            $blocker = Join-Path $TestDrive 'a-file'
            Set-Content -LiteralPath $blocker -Value 'not a folder'
            $exe = $Launch[0]; $rest = @($Launch | Select-Object -Skip 1)
            $output = @(& $exe @rest -NoProfile -NonInteractive -File $Script -Path $Healthy -LogPath (Join-Path $blocker 'health.jsonl') 2>&1 | ForEach-Object { "$_" })
            $LASTEXITCODE | Should -Be 0 -Because 'the bundle is Healthy; only the log failed'
            $said = @($output | Where-Object { $_ -match 'could not be written to the log' })
            $said.Count | Should -Be 1 -Because ($output -join "`n")
            $said[0] | Should -Match 'Healthy, exit code 0'
            $output -join "`n" | Should -Not -Match 'health check failed'
        }

        It 'shows only its real parameters in its help' {
            $help = Get-Help $Script -Full
            @($help.parameters.parameter.name) | Should -Be @('Path', 'PostureStatus', 'DaclPath', 'Port', 'TimeoutSec', 'LogPath', 'ReportPath')
            ($help | Out-String) | Should -Not -Match 'RemainingArgument'
            @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        }
    }

    It 'creates the log folder, and takes a relative -LogPath from the current location' {
        $where = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'cwd') -Force
        $run = Invoke-ChildPwsh "Set-Location -LiteralPath '$($where.FullName)'; & '$Script' -Path '$Healthy' -LogPath 'nested/deeper/health.jsonl'; exit `$LASTEXITCODE"
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $log = Join-Path $where.FullName 'nested/deeper/health.jsonl'
        Test-Path -LiteralPath $log | Should -BeTrue
        @(Get-Content -LiteralPath $log).Count | Should -Be 1
    }

    It 'defaults the log to the platform''s program-data folder' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Script, [ref] $null, [ref] $null)
        $function = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq 'Get-DefaultLogPath' }, $true)
        $default = & {
            Set-StrictMode -Version Latest
            . ([scriptblock]::Create($function.Extent.Text))
            Get-DefaultLogPath
        }
        $expected = if ($IsWindows) { Join-Path $env:ProgramData 'PostureSync\health.jsonl' }
        elseif ($IsMacOS) { '/Library/Application Support/PostureSync/health.jsonl' }
        else { '/var/lib/posturesync/health.jsonl' }
        $default | Should -Be $expected
    }

    It 'is written in Windows PowerShell 5.1 syntax, in ASCII' {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Script, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        [System.IO.File]::ReadAllBytes($Script) | Where-Object { $_ -gt 127 } | Should -BeNullOrEmpty -Because 'Windows PowerShell 5.1 reads a file without a byte-order mark as ANSI'

        $language = [System.Management.Automation.Language.TokenKind]
        $newer = @($tokens | Where-Object { $_.Kind -in $language::QuestionQuestion, $language::QuestionQuestionEquals, $language::QuestionDot, $language::QuestionLBracket, $language::AndAnd, $language::OrOr })
        $newer | Should -BeNullOrEmpty -Because '??, ??=, ?., ?[], && and || came in PowerShell 7'
        $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.TernaryExpressionAst] }, $true) | Should -BeNullOrEmpty -Because 'the ternary operator came in PowerShell 7'

        $commands = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($command in $commands) {
            $name = $command.GetCommandName()
            $parameters = @($command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName)
            $parameters | Should -Not -BeIn 'AsHashtable', 'AdditionalChildPath', 'Parallel', 'AsByteStream', 'SkipCertificateCheck', 'AsArray', 'EscapeHandling' -Because "$($command.Extent.Text) uses a parameter Windows PowerShell 5.1 lacks"
            if ($name -eq 'Join-Path') {
                @($command.CommandElements | Select-Object -Skip 1 | Where-Object { $_ -isnot [System.Management.Automation.Language.CommandParameterAst] }).Count |
                    Should -BeLessOrEqual 2 -Because "$($command.Extent.Text): Join-Path takes two paths in 5.1"
            }
        }

        # $IsWindows, $IsLinux and $IsMacOS do not exist in 5.1: read them only after the Desktop edition is ruled out.
        foreach ($use in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.VariableExpressionAst] -and $node.VariablePath.UserPath -in 'IsWindows', 'IsLinux', 'IsMacOS' }, $true)) {
            $function = $use.Parent
            while ($function -and $function -isnot [System.Management.Automation.Language.FunctionDefinitionAst]) { $function = $function.Parent }
            $function | Should -Not -BeNullOrEmpty
            $before = $function.Extent.Text.Substring(0, $use.Extent.StartOffset - $function.Extent.StartOffset)
            $before | Should -Match "PSEdition -eq 'Desktop'\) -or" -Because "$($use.Extent.Text) must come after the Desktop edition check"
        }
    }

    It 'appends: two runs, two lines' {
        $log = Join-Path $TestDrive 'twice.jsonl'
        1..2 | ForEach-Object { Invoke-ChildPwsh "& '$Script' -Path '$Healthy' -LogPath '$log'" | Out-Null }
        @(Get-Content $log).Count | Should -Be 2
    }
}
