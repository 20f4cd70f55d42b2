# Every target is on loopback or resolves through a hosts file made here: no packet leaves the machine.
BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force

    function New-FilteredListener([string] $Address) {
        # Backlog 0, filled by one connection, never accepting: the kernel drops further SYNs, as a dACL deny would.
        $ip = [System.Net.IPAddress]::Parse($Address)
        $listener = [System.Net.Sockets.Socket]::new($ip.AddressFamily, 'Stream', 'Tcp')
        $listener.Bind([System.Net.IPEndPoint]::new($ip, 0))
        $listener.Listen(0)
        $filler = [System.Net.Sockets.Socket]::new($ip.AddressFamily, 'Stream', 'Tcp')
        $filler.Connect($listener.LocalEndPoint)
        [pscustomobject]@{ Port = $listener.LocalEndPoint.Port; Sockets = @($filler, $listener) }
    }

    function Get-ClosedPort {
        $probe = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $probe.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $port = $probe.LocalEndPoint.Port
        $probe.Dispose()
        $port
    }

    $script:Open = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $Open.Start()
    $script:OpenPort = $Open.LocalEndpoint.Port
    $script:Filtered = New-FilteredListener '127.0.0.2'
    $script:ClosedPort = Get-ClosedPort

    $script:HostsFile = Join-Path $TestDrive 'hosts'
    @(
        "127.0.0.1 psn1.example.test"
        "127.0.0.2 psn2.example.test"
        "127.0.0.1 psn3.example.test"
    ) | Set-Content $HostsFile
    $script:SavedHosts = $env:POSTURESYNC_HOSTS_FILE
    $env:POSTURESYNC_HOSTS_FILE = $HostsFile
}

AfterAll {
    $Open.Stop()
    $Filtered.Sockets | ForEach-Object Dispose
    $env:POSTURESYNC_HOSTS_FILE = $SavedHosts
}

Describe 'Test-PostureSyncPort' {
    It 'reports open, filtered, closed and unresolved targets in input order within about one timeout' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $results = Test-PostureSyncPort "127.0.0.2:$($Filtered.Port)", "127.0.0.1:$OpenPort", "127.0.0.1:$ClosedPort", 'nowhere.example.test' -TimeoutSec 2
        $watch.Elapsed.TotalSeconds | Should -BeLessThan (2 * 3) -Because 'about one timeout for all; three leave a busy machine room'
        $results.State | Should -Be @('Filtered', 'Open', 'Closed', 'Unresolved')
        $results[0].PSTypeNames[0] | Should -Be 'PostureSync.PortTestResult'
        $results.Verdict | Should -Be @('Info', 'Info', 'Info', 'Info')
        $results[0].Source | Should -Be ([Environment]::MachineName)
    }

    It 'fails an open port while Compliant and explains the alarm' {
        $result = Test-PostureSyncPort -TargetName '127.0.0.1' -Port $OpenPort -PostureStatus Compliant
        $result.Verdict | Should -Be 'Fail'
        $result.ExpectedState | Should -Be 'Blocked'
        $result.Message | Should -Match 'the dACL lacks the deny for this PSN'
        $result.Message | Should -Match 'Posture Configuration Detection'
    }

    It 'passes a filtered port while NonCompliant and an open one while Pending' {
        (Test-PostureSyncPort "127.0.0.2:$($Filtered.Port)" -PostureStatus NonCompliant -TimeoutSec 0.3).Verdict | Should -Be 'Pass'
        (Test-PostureSyncPort "127.0.0.1:$OpenPort" -PostureStatus Pending).Verdict | Should -Be 'Pass'
    }

    It 'answers one Boolean with -Quiet' {
        Test-PostureSyncPort "127.0.0.1:$OpenPort" -Quiet | Should -BeTrue
        Test-PostureSyncPort "127.0.0.1:$OpenPort", "127.0.0.1:$ClosedPort" -Quiet | Should -BeFalse
        Test-PostureSyncPort "127.0.0.2:$($Filtered.Port)" -PostureStatus Compliant -TimeoutSec 0.3 -Quiet | Should -BeTrue
        Test-PostureSyncPort "127.0.0.1:$OpenPort" -PostureStatus Compliant -Quiet | Should -BeFalse
    }

    It 'takes the profile''s probe targets from Get-PostureSyncConfig by property name, a port written in the probe list winning over -Port' {
        $profilePath = Join-Path $TestDrive 'ISEPostureCFG.xml'
        "<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><StateSyncProbeInterval>30</StateSyncProbeInterval>" +
            "<StateSyncProbeList>psn1.example.test, psn2.example.test; psn3.example.test:$ClosedPort</StateSyncProbeList></cfg>" | Set-Content -LiteralPath $profilePath
        $config = Get-PostureSyncConfig -LiteralPath $profilePath
        $config.ProbeTargets | Should -Be @('psn1.example.test', 'psn2.example.test', "psn3.example.test:$ClosedPort")
        $results = $config | Test-PostureSyncPort -Port $OpenPort -PostureStatus Unknown -TimeoutSec 0.5
        $results.TargetName | Should -Be @('psn1.example.test', 'psn2.example.test', 'psn3.example.test')
        $results.Port | Should -Be @($OpenPort, $OpenPort, $ClosedPort)
        $results.State | Should -Be @('Open', 'Closed', 'Closed')
        $results.Verdict | Should -Be @('Pass', 'Fail', 'Fail')
    }

    It 'binds TargetName and Port by property name, also through the Psn alias' {
        $rows = @(
            [pscustomobject]@{ Psn = '127.0.0.1'; Port = $OpenPort }
            [pscustomobject]@{ TargetName = '127.0.0.1'; Port = $ClosedPort }
        )
        ($rows | Test-PostureSyncPort).State | Should -Be @('Open', 'Closed')
    }

    It 'binds targets from a hosts CSV whose column is ComputerName, HostName or Name' {
        foreach ($column in 'ComputerName', 'HostName', 'Name') {
            $csv = Join-Path $TestDrive "hosts-$column.csv"
            @("$column,Site", "127.0.0.1:$OpenPort,hq", "psn1.example.test:$ClosedPort,branch") | Set-Content -LiteralPath $csv
            $results = Import-Csv -LiteralPath $csv | Test-PostureSyncPort -TimeoutSec 2
            $results.TargetName | Should -Be @('127.0.0.1', 'psn1.example.test') -Because "the $column column names the targets"
            $results.State | Should -Be @('Open', 'Closed') -Because "the $column column names the targets"
        }
    }

    It 'binds the addresses of an object that carries both IPAddress and a Name, like Get-IsePsn output' {
        $psn = [pscustomobject]@{ Name = 'psn-short-name'; IPAddress = @("127.0.0.1:$OpenPort", "127.0.0.1:$ClosedPort") }
        $results = $psn | Test-PostureSyncPort -TimeoutSec 2 -ErrorVariable problems -ErrorAction SilentlyContinue
        $results.State | Should -Be @('Open', 'Closed')
        $problems | Should -BeNullOrEmpty
    }

    It 'names its targets by the same aliases, in the same order, as Invoke-PostureSyncProbe' {
        $port = (Get-Command Test-PostureSyncPort).Parameters['TargetName'].Aliases
        $probe = (Get-Command Invoke-PostureSyncProbe).Parameters['TargetName'].Aliases
        @($port) | Should -Be @($probe)
        @($port) | Should -Contain 'ComputerName'
    }

    It 'reports a bad target as an error and goes on' {
        $results = Test-PostureSyncPort 'psn1.example.test:70000', "127.0.0.1:$OpenPort" -ErrorVariable problems -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTargetName,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'reports an empty target as an error and still tests the others' {
        $results = Test-PostureSyncPort "127.0.0.1:$OpenPort", '', '  ', "127.0.0.1:$ClosedPort" -ErrorVariable problems -ErrorAction SilentlyContinue
        $results.State | Should -Be @('Open', 'Closed')
        $problems.Count | Should -Be 2
        $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidTargetName,*' }
        $problems[0].Exception.Message | Should -Match 'it is empty'

        $piped = '', "127.0.0.1:$OpenPort" | Test-PostureSyncPort -ErrorVariable pipedProblems -ErrorAction SilentlyContinue
        $piped.State | Should -Be 'Open'
        $pipedProblems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTargetName,*'
    }

    It 'answers a target given twice twice, each in its place' {
        $results = Test-PostureSyncPort "127.0.0.1:$OpenPort", "127.0.0.1:$ClosedPort", "127.0.0.1:$OpenPort", "PSN1.example.test:$OpenPort", "psn1.example.test:$OpenPort"
        $results.TargetName | Should -Be @('127.0.0.1', '127.0.0.1', '127.0.0.1', 'PSN1.example.test', 'psn1.example.test')
        $results.State | Should -Be @('Open', 'Closed', 'Open', 'Open', 'Open')
    }

    It 'binds a deserialized result by property name, Port included' {
        $live = Test-PostureSyncPort "127.0.0.1:$ClosedPort"
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
        $copy.PSTypeNames[0] | Should -Be 'Deserialized.PostureSync.PortTestResult'
        $again = $copy | Test-PostureSyncPort
        $again.Port | Should -Be $ClosedPort
        $again.State | Should -Be 'Closed'
    }

    It 'takes about one timeout for more filtered targets than -ThrottleLimit' {
        $addresses = 3..12 | ForEach-Object { "127.0.0.$_" }
        $listeners = @($addresses | ForEach-Object { New-FilteredListener $_ })
        $targets = for ($i = 0; $i -lt $addresses.Count; $i++) { "$($addresses[$i]):$($listeners[$i].Port)" }
        try {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $results = Test-PostureSyncPort $targets -TimeoutSec 2 -ThrottleLimit 2
            $watch.Elapsed.TotalSeconds | Should -BeLessThan (2 * 3) -Because 'about one timeout; holding a slot per waiting connect would take five (ten targets, two slots)'
            $results.State | Should -Be (@('Filtered') * 10)
            $results.TargetAddress | Should -Be $addresses
        }
        finally { $listeners.Sockets | ForEach-Object Dispose }
    }

    It 'refuses an out-of-range -Port and a zero timeout at binding' {
        { Test-PostureSyncPort 127.0.0.1 -Port 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PostureSync.TestPostureSyncPortCommand'
        { Test-PostureSyncPort 127.0.0.1 -TimeoutSec 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PostureSync.TestPostureSyncPortCommand'
    }

    It 'tests IPv6 loopback and filters address families' {
        $v6 = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::IPv6Loopback, 0)
        $v6.Start()
        try {
            (Test-PostureSyncPort "[::1]:$($v6.LocalEndpoint.Port)").AddressFamily | Should -Be 'IPv6'
            $excluded = Test-PostureSyncPort "psn1.example.test:$OpenPort" -AddressFamily IPv6
            $excluded.State | Should -Be 'Excluded'
            $excluded.Message | Should -Match 'resolved only to 127\.0\.0\.1, which -AddressFamily IPv6 excludes'
        }
        finally { $v6.Stop() }
    }

    It 'reports an address literal of the family -AddressFamily leaves out as Excluded, not Unresolved' {
        $v6 = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::IPv6Loopback, 0)
        $v6.Start()
        try {
            $results = Test-PostureSyncPort "[::1]:$($v6.LocalEndpoint.Port)", "127.0.0.1:$OpenPort" -AddressFamily IPv4 -PostureStatus Pending
            $results.State | Should -Be @('Excluded', 'Open')
            $results.Verdict | Should -Be @('Info', 'Pass')
            $results[0].Message | Should -Match "^'::1' is an IPv6 address, which -AddressFamily IPv4 excludes; nothing was tested\."
            $results[0].Message | Should -Match 'is not checked for this target'
            $v6.Pending() | Should -BeFalse -Because 'an excluded target is not connected to'

            (Test-PostureSyncPort "127.0.0.1:$OpenPort" -AddressFamily IPv6).State | Should -Be 'Excluded'
            Test-PostureSyncPort "[::1]:$($v6.LocalEndpoint.Port)", "127.0.0.1:$OpenPort" -AddressFamily IPv4 -Quiet | Should -BeTrue -Because 'a target left out on purpose is not a failure'
            Test-PostureSyncPort "[::1]:$($v6.LocalEndpoint.Port)" -AddressFamily IPv4 -Quiet | Should -BeFalse -Because 'nothing was tested'
        }
        finally { $v6.Stop() }
    }

    It 'stops within a second when the pipeline is stopped' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Test-PostureSyncPort '127.0.0.2:$($Filtered.Port)' -TimeoutSec 60")
        $async = $ps.BeginInvoke()
        Start-Sleep -Milliseconds 1500
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'stopping must not wait out the 60 s timeout (10 s leaves room for a busy machine)'
        $async.IsCompleted | Should -BeTrue
        $ps.Dispose()
    }
}
