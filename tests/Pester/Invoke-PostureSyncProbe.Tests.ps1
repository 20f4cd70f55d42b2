# Every target is on loopback or resolves through a hosts file made here: no packet leaves the machine.
BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force

    function Get-ClosedPort {
        $probe = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $probe.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $port = $probe.LocalEndPoint.Port
        $probe.Dispose()
        $port
    }

    # A one-shot TLS server in its own runspace, with a self-signed certificate made here for psn1.example.test.
    function Start-TlsServer {
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=psn1.example.test', $key, 'SHA256')
        $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $san.AddDnsName('psn1.example.test')
        $request.CertificateExtensions.Add($san.Build())
        $made = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(7))
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($made.Export('Pfx'))
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($listener, $certificate)
            $client = $listener.AcceptTcpClient()
            $tls = [System.Net.Security.SslStream]::new($client.GetStream())
            $tls.AuthenticateAsServer($certificate)
            $head = ''
            $one = [byte[]]::new(1)
            while (-not $head.EndsWith("`r`n`r`n") -and $tls.Read($one, 0, 1) -eq 1) { $head += [char]$one[0] }
            $body = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 418 I'm a teapot`r`nServer: LoopbackIse`r`nContent-Length: 2`r`n`r`nok")
            $tls.Write($body, 0, $body.Length)
            $tls.Dispose(); $client.Dispose()
            $head
        }).AddArgument($listener).AddArgument($certificate)
        [pscustomobject]@{ Port = $listener.LocalEndpoint.Port; Listener = $listener; PowerShell = $ps; Async = $ps.BeginInvoke(); Certificate = $certificate }
    }

    $script:HostsFile = Join-Path $TestDrive 'hosts'
    "127.0.0.1 psn1.example.test" | Set-Content $HostsFile
    $script:SavedHosts = $env:POSTURESYNC_HOSTS_FILE
    $env:POSTURESYNC_HOSTS_FILE = $HostsFile
    $script:ClosedPort = Get-ClosedPort
}

AfterAll {
    $env:POSTURESYNC_HOSTS_FILE = $SavedHosts
}

Describe 'Invoke-PostureSyncProbe' {
    It 'makes the HTTPS exchange and reports certificate and answer' {
        $server = Start-TlsServer
        try {
            $result = Invoke-PostureSyncProbe "psn1.example.test:$($server.Port)" -SkipCertificateCheck -RequestPath '/sync' -TimeoutSec 5
            $request = $server.PowerShell.EndInvoke($server.Async)
            $result.PSTypeNames[0] | Should -Be 'PostureSync.ProbeResult'
            $result.Outcome | Should -Be 'Answered'
            $result.HttpStatusCode | Should -Be 418
            $result.ServerHeader | Should -Be 'LoopbackIse'
            $result.BodyPreview | Should -Be 'ok'
            $result.CertificateThumbprint | Should -Be $server.Certificate.Thumbprint
            $result.CertificateSan | Should -Be @('DNS:psn1.example.test')
            $result.CertificateTrusted | Should -BeFalse
            $result.CertificateNotBefore | Should -Be $server.Certificate.NotBefore
            $result.Interpretation | Should -Match '\[inferred\]'
            $version = (Import-PowerShellDataFile $env:POSTURESYNC_MODULE).ModuleVersion
            "$request" | Should -Match "^GET /sync HTTP/1.1`r`n"
            "$request" | Should -Match "User-Agent: PostureSync/$([regex]::Escape($version))`r`n"
        }
        finally { $server.Listener.Stop(); $server.PowerShell.Dispose() }
    }

    It 'stops before TLS while Compliant unless -Force' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $result = Invoke-PostureSyncProbe "127.0.0.1:$($listener.LocalEndpoint.Port)" -PostureStatus Compliant
            $result.Outcome | Should -Be 'StoppedToAvoidAlarm'
            $result.TcpState | Should -Be 'Open'
            $result.Interpretation | Should -Match '-Force'
        }
        finally { $listener.Stop() }
    }

    It 'keeps the alarm guard through Test-PostureSyncPort -PostureStatus Compliant | Invoke-PostureSyncProbe, from a CSV too' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $piped = Test-PostureSyncPort -TargetName 127.0.0.1 -Port $port -PostureStatus Compliant -TimeoutSec 5 | Invoke-PostureSyncProbe -TimeoutSec 5
            $piped.Outcome | Should -Be 'StoppedToAvoidAlarm'
            $piped.TcpState | Should -Be 'Open'
            $csv = Test-PostureSyncPort -TargetName 127.0.0.1 -Port $port -PostureStatus NonCompliant -TimeoutSec 5 | ConvertTo-Csv | ConvertFrom-Csv | Invoke-PostureSyncProbe -TimeoutSec 5
            $csv.Outcome | Should -Be 'StoppedToAvoidAlarm'
        }
        finally { $listener.Stop() }
    }

    It 'probes through the pipeline when the piped row carries no status, or with -Force' {
        # The server answers one connection, so the rows stand for Test-PostureSyncPort's results (a CSV has "" for none).
        $server = Start-TlsServer
        try {
            $result = [pscustomobject]@{ TargetName = 'psn1.example.test'; Port = $server.Port; PostureStatus = '' } | Invoke-PostureSyncProbe -SkipCertificateCheck -TimeoutSec 5
            $result.Outcome | Should -Be 'Answered'
        }
        finally { $server.Listener.Stop(); $server.PowerShell.Dispose() }

        $server = Start-TlsServer
        try {
            $forced = [pscustomobject]@{ TargetName = 'psn1.example.test'; Port = $server.Port; PostureStatus = 'Compliant' } | Invoke-PostureSyncProbe -Force -SkipCertificateCheck -TimeoutSec 5
            $forced.Outcome | Should -Be 'Answered'
        }
        finally { $server.Listener.Stop(); $server.PowerShell.Dispose() }
    }

    It 'connects to nothing with -WhatIf' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            Invoke-PostureSyncProbe "127.0.0.1:$($listener.LocalEndpoint.Port)" -WhatIf | Should -BeNullOrEmpty
            $listener.Pending() | Should -BeFalse
        }
        finally { $listener.Stop() }
    }

    It 'reports refused and unresolved targets, and a bad target as an error' {
        $results = Invoke-PostureSyncProbe "127.0.0.1:$ClosedPort", 'unknown.example.test', 'bad target' -ErrorVariable problems -ErrorAction SilentlyContinue
        $results.Outcome | Should -Be @('Refused', 'Unresolved')
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTargetName,*'
    }

    It 'probes the targets of a hosts CSV whose column is ComputerName, HostName or Name' {
        foreach ($column in 'ComputerName', 'HostName', 'Name') {
            $rows = "$column`n127.0.0.1:$ClosedPort`nunknown.example.test" | ConvertFrom-Csv
            $results = $rows | Invoke-PostureSyncProbe -TimeoutSec 5
            $results.TargetName | Should -Be @('127.0.0.1', 'unknown.example.test') -Because "the $column column names the targets"
            $results.Outcome | Should -Be @('Refused', 'Unresolved') -Because "the $column column names the targets"
        }
    }

    It 'reports a target -AddressFamily leaves out as Excluded and sends nothing to it' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::IPv6Loopback, 0)
        $listener.Start()
        try {
            $result = Invoke-PostureSyncProbe "[::1]:$($listener.LocalEndpoint.Port)" -AddressFamily IPv4 -TimeoutSec 5
            $result.Outcome | Should -Be 'Excluded'
            $result.TcpState | Should -Be 'Excluded'
            $result.Interpretation | Should -Match "^'::1' is an IPv6 address, which -AddressFamily IPv4 excludes; nothing was sent\."
            $listener.Pending() | Should -BeFalse
        }
        finally { $listener.Stop() }
        (Invoke-PostureSyncProbe "127.0.0.1:$ClosedPort" -AddressFamily IPv6 -TimeoutSec 5).Outcome | Should -Be 'Excluded'
    }

    It 'numbers the rounds' {
        $results = Invoke-PostureSyncProbe "127.0.0.1:$ClosedPort" -Count 3 -IntervalSec 0.2
        $results.Sequence | Should -Be @(1, 2, 3)
    }

    It 'stops within a second when the pipeline is stopped during the wait between rounds' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Invoke-PostureSyncProbe '127.0.0.1:$ClosedPort' -Count 5 -IntervalSec 60")
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ($ps.Streams.Progress.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Milliseconds 300
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'stopping must not wait out the 60 s interval (10 s leaves room for a busy machine)'
        $async.IsCompleted | Should -BeTrue
        $ps.Dispose()
    }

    It 'probes without a prompt where no one can answer one' {
        # A runspace without a host throws if anything prompts; ConfirmImpact Medium stays below the default $ConfirmPreference.
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Invoke-PostureSyncProbe '127.0.0.1:$ClosedPort' -TimeoutSec 1")
        $result = $ps.Invoke()
        $ps.Streams.Error.Count | Should -Be 0
        $result.Outcome | Should -Be 'Refused'
        $ps.Dispose()
    }

    It 'reports an empty target as an error and answers a target given twice twice' {
        $results = Invoke-PostureSyncProbe "127.0.0.1:$ClosedPort", '', "127.0.0.1:$ClosedPort", 'unknown.example.test' -ErrorVariable problems -ErrorAction SilentlyContinue
        $results.Outcome | Should -Be @('Refused', 'Refused', 'Unresolved')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTargetName,*'
    }

    It 'marks what it reads into a refusal as inferred' {
        $result = Invoke-PostureSyncProbe "127.0.0.1:$ClosedPort" -PostureStatus NonCompliant
        $result.Outcome | Should -Be 'Refused'
        $result.Interpretation | Should -Match 'as it must be while posture is NonCompliant'
        $result.Interpretation | Should -Match '\[inferred\]'
    }

    It 'refuses a request path that is not a path' {
        { Invoke-PostureSyncProbe "127.0.0.1:$ClosedPort" -RequestPath 'no slash' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRequestPath,PostureSync.InvokePostureSyncProbeCommand'
    }
}
