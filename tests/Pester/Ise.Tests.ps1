# The ISE cmdlets against the loopback HTTPS ISE double (tests/PostureSync.IseDouble, a test-made certificate on
# 127.0.0.1 and a free port). Every PSN address the double reports is on 127.0.0.0/8 or ::1: nothing leaves the machine.
BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    . (Join-Path $PSScriptRoot '../PostureSync.IseDouble/IseDouble.ps1')
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
    $script:Ise = Start-IseDouble
    $script:Password = [PostureSync.IseDouble.IseDoubleServer]::Password
    $script:Cred = New-IseDoubleCredential
    $script:Connection = Connect-IseServer $Ise.Server -Credential $Cred -CertificateThumbprint $Ise.Thumbprint
}

AfterAll {
    $Ise.Dispose()
}

Describe 'Connect-IseServer' {
    It 'refuses a certificate it cannot validate and names the thumbprint the server showed' {
        $before = $Ise.RequestCount
        { Connect-IseServer $Ise.Server -Credential $Cred -ErrorAction Stop } | Should -Throw -ErrorId 'IseCertificateInvalid,PostureSync.ConnectIseServerCommand' -ExpectedMessage "*$($Ise.Thumbprint)*"
        $Ise.RequestCount | Should -Be $before -Because 'no request goes out over a refused TLS session'
    }

    It 'refuses http:// before sending anything' {
        { Connect-IseServer "http://$($Ise.Server)" -Credential $Cred -ErrorAction Stop } | Should -Throw -ErrorId 'IseServerInvalid,PostureSync.ConnectIseServerCommand'
    }

    It 'keeps server, port, user and version, and the password nowhere: not in properties, views, Export-Clixml or verbose' {
        $Connection.PSTypeNames[0] | Should -Be 'PostureSync.IseConnection'
        $Connection.Server | Should -Be '127.0.0.1'
        $Connection.Port | Should -Be $Ise.Port
        $Connection.UserName | Should -Be $Cred.UserName
        $Connection.Version | Should -Be '3.3.0.430'
        ($Connection | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($Password))
        $file = Join-Path $TestDrive 'connection.xml'
        $Connection | Export-Clixml -LiteralPath $file
        Get-Content -LiteralPath $file -Raw | Should -Not -Match ([regex]::Escape($Password))
        $verbose = Connect-IseServer $Ise.Server -Credential $Cred -CertificateThumbprint $Ise.Thumbprint -Verbose 4>&1 | Out-String
        $verbose | Should -Match 'GET https://\S+/ers/config/downloadableacl'
        $verbose | Should -Not -Match ([regex]::Escape($Password))
        @($Ise.Requests | Where-Object Method -ne 'GET').Count | Should -Be 0
    }

    It 'reports a wrong password as IseAuthenticationFailed without echoing it' {
        $wrong = [pscredential]::new($Cred.UserName, (ConvertTo-SecureString 'Not-The-Pa55word' -AsPlainText -Force))
        $errorRecord = $null
        try { Connect-IseServer $Ise.Server -Credential $wrong -SkipCertificateCheck -ErrorAction Stop } catch { $errorRecord = $_ }
        $errorRecord.FullyQualifiedErrorId | Should -Be 'IseAuthenticationFailed,PostureSync.ConnectIseServerCommand'
        $errorRecord.CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($errorRecord | Out-String) + $errorRecord.ErrorDetails.RecommendedAction | Should -Not -Match 'Not-The-Pa55word'
    }

    It 'reports a user without the ERS group as IseAccessDenied' {
        $denied = [pscredential]::new([PostureSync.IseDouble.IseDoubleServer]::DeniedUser, (ConvertTo-SecureString $Password -AsPlainText -Force))
        { Connect-IseServer $Ise.Server -Credential $denied -SkipCertificateCheck -ErrorAction Stop } | Should -Throw -ErrorId 'IseAccessDenied,PostureSync.ConnectIseServerCommand'
    }
}

Describe 'The pipelines an admin will try' {
    It 'Get-IsePsn | Test-PostureSyncPort -PostureStatus Compliant tests every interface of every PSN' {
        $psns = Get-IsePsn
        @($psns.Name) | Should -Be @('ise-psn1', 'ise-psn2', 'ise-psn3')
        @($psns[0].IPAddress) | Should -Be @('127.0.0.11', '127.0.0.21', '::1')
        $results = $psns | Test-PostureSyncPort -PostureStatus Compliant -TimeoutSec 2
        @($results.TargetName | Sort-Object -Unique) | Should -Be @('127.0.0.11', '127.0.0.21', '::1', '127.0.0.12', '127.0.0.13' | Sort-Object)
        $results | ForEach-Object { $_.Verdict | Should -Be 'Pass' -Because "nothing listens on $($_.TargetName):8449" }
    }

    It 'Get-IseDacl -Name Compliant* | Test-ComplianceDacl -PsnAddress (Get-IsePsn).IPAddress binds the text and the name' {
        $results = Get-IseDacl -Name Compliant* | Test-ComplianceDacl -PsnAddress (Get-IsePsn).IPAddress -WarningAction SilentlyContinue
        $missing = $results | Where-Object AclName -eq 'COMPLIANT_MISSING_PSN'
        @($missing | Where-Object Verdict -eq 'Fail' | ForEach-Object Psn) | Should -Be @('127.0.0.21', '127.0.0.13')
        @($results | Where-Object AclName -eq 'COMPLIANT_PERMIT_FIRST' | Where-Object Verdict -eq 'Fail').Count | Should -Be 4
        @($results | Where-Object AclName -eq 'COMPLIANT_CRLF' | Where-Object { $_.Verdict -eq 'Pass' }).Count | Should -Be 4
    }

    It 'Test-IseComplianceDacl | Where-Object Verdict -ne Pass shows every gap, undecidable rule and missing dACL' {
        $gaps = Test-IseComplianceDacl | Where-Object Verdict -ne Pass
        $gaps | ForEach-Object { $_.PSTypeNames[0] | Should -Be 'PostureSync.IseDaclAudit' }
        $library = $gaps | Where-Object { $_.Rule -eq 'Compliant_Library' -and $_.Verdict -eq 'Fail' }
        @($library.PsnAddress) | Should -Be @('127.0.0.21', '127.0.0.13')
        ($library[0].Findings -join "`n") | Should -Match 'deny tcp any host 127\.0\.0\.21 eq 8449'
        ($gaps | Where-Object Rule -eq 'Missing_Library').Verdict | Should -Be 'Unknown'
        ($gaps | Where-Object { $_.Rule -eq 'Nested_Not_NonCompliant' -and $_.Dacl -eq 'GHOST_DACL' }).Verdict | Should -Be 'Fail'
        @($gaps | Where-Object Rule -eq 'Compliant_Employees').Count | Should -Be 0
        $table = $gaps | Format-Table | Out-String -Width 200
        # One group per rule, then the verdict and its reason (the view groups by Rule).
        $table | Should -Match 'Rule: Wired_Dot1X / Compliant_Library'
        $table | Should -Match 'Verdict\s+Dacl\s+PsnAddress\s+Reason'
    }

    It 'Test-IseComplianceDacl -DaclName checks named dACLs with an account that cannot read policy, given -Server and -Credential directly' {
        $ersOnly = [pscredential]::new([PostureSync.IseDouble.IseDoubleServer]::NoPolicyUser, (ConvertTo-SecureString $Password -AsPlainText -Force))
        $rows = Test-IseComplianceDacl -Server $Ise.Server -Credential $ersOnly -CertificateThumbprint $Ise.Thumbprint -DaclName POSTURE_COMPLIANT_DACL
        @($rows | Where-Object PsnAddress -ne '::1' | Where-Object Verdict -eq 'Pass').Count | Should -Be 4
        { Test-IseComplianceDacl -Server $Ise.Server -Credential $ersOnly -CertificateThumbprint $Ise.Thumbprint -ErrorAction Stop } | Should -Throw -ErrorId 'IseAccessDenied,PostureSync.TestIseComplianceDaclCommand'
    }

    It 'Get-IseSessionPosture reads MnT by MAC in any notation and goes on past a missing session' {
        $sessions = Get-IseSessionPosture -MacAddress '00-14-22-01-23-45', 'aabb.cc00.1122', '00:00:5e:00:53:01' -ErrorVariable missing -ErrorAction SilentlyContinue
        @($sessions.PostureStatus) | Should -Be @('Compliant', 'NonCompliant')
        $sessions[0].DaclName | Should -Be 'POSTURE_COMPLIANT_DACL'
        $missing[0].FullyQualifiedErrorId | Should -Be 'IseSessionNotFound,PostureSync.GetIseSessionPostureCommand'
        $missing[0].TargetObject | Should -Be '00:00:5E:00:53:01'
    }
}

Describe 'Test-ComplianceDacl reads a saved ERS JSON export' {
    It 'judges a DownloadableAcl body and a list of them, each under its own name' {
        $one = Join-Path $TestDrive 'one.json'
        '{ "DownloadableAcl" : { "id" : "1", "name" : "SAVED_GOOD", "dacl" : "deny tcp any host 127.0.0.11 eq 8449\n permit ip any any", "daclType" : "IPV4" } }' | Set-Content -LiteralPath $one
        $many = Join-Path $TestDrive 'many.json'
        '[ { "DownloadableAcl" : { "name" : "SAVED_A", "dacl" : "permit ip any any" } }, { "DownloadableAcl" : { "name" : "SAVED_B", "dacl" : "deny tcp any any eq 8449\npermit ip any any" } } ]' | Set-Content -LiteralPath $many
        $results = Test-ComplianceDacl -Path $one, $many -PsnAddress 127.0.0.11 -WarningAction SilentlyContinue
        @($results | ForEach-Object { "$($_.AclName)=$($_.Verdict)" }) | Should -Be @('SAVED_GOOD=Pass', 'SAVED_A=Fail', 'SAVED_B=Pass')
    }

    It 'reports a JSON file that is no dACL export clearly' {
        $bad = Join-Path $TestDrive 'bad.json'
        '{ "SearchResult" : { "total" : 0 ' | Set-Content -LiteralPath $bad
        Test-ComplianceDacl -Path $bad -PsnAddress 127.0.0.11 -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'DaclJsonInvalid,PostureSync.TestComplianceDaclCommand'
    }
}

Describe 'ISE failures' {
    It 'a slow ISE is IseTimeout at -TimeoutSec' {
        $Ise.Delay = [TimeSpan]::FromMinutes(5)
        try { { Get-IsePsn -TimeoutSec 1 -ErrorAction Stop } | Should -Throw -ErrorId 'IseTimeout,PostureSync.GetIsePsnCommand' }
        finally { $Ise.Delay = [TimeSpan]::Zero }
    }

    It 'ERS disabled behind the gateway is IseApiDisabled' {
        $Ise.ErsDisabled = $true
        try { { Get-IseDacl -ErrorAction Stop } | Should -Throw -ErrorId 'IseApiDisabled,PostureSync.GetIseDaclCommand' }
        finally { $Ise.ErsDisabled = $false }
    }

    It 'a body cut short is IseResponseInvalid' {
        $Ise.TruncateBodies = $true
        try { { Get-IseDacl -Name PERMIT* -ErrorAction Stop } | Should -Throw -ErrorId 'IseResponseInvalid,PostureSync.GetIseDaclCommand' }
        finally { $Ise.TruncateBodies = $false }
    }

    It 'Ctrl+C stops a request to a hanging ISE at once, not at -TimeoutSec' {
        $Ise.Delay = [TimeSpan]::FromMinutes(10)
        $ps = [powershell]::Create()
        try {
            $before = $Ise.RequestCount
            $null = $ps.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Get-IseDacl -Server '$($Ise.Server)' -Credential `$args[0] -CertificateThumbprint '$($Ise.Thumbprint)' -TimeoutSec 600").AddArgument($Cred)
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($Ise.RequestCount -le $before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $Ise.RequestCount | Should -BeGreaterThan $before -Because 'the request reached the double and hangs there'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5 -Because 'Stop cancels the request (the timeout is 600 s)'
            $async.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose(); $Ise.Delay = [TimeSpan]::Zero }
    }

    It 'a session with no Connect-IseServer and no -Server is IseNotConnected' {
        $result = Invoke-ChildPwsh -Command "Import-Module '$($env:POSTURESYNC_MODULE)'; try { Get-IsePsn -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }"
        $result.Output | Should -Contain 'IseNotConnected,PostureSync.GetIsePsnCommand'
    }
}

Describe 'Get-NadSession | Test-ComplianceDacl -Connection' {
    It 'reads each session''s dACL from ISE by name, once, and judges it against the PSN addresses ISE reports' {
        $double = Start-IseDouble
        try {
            $null = $double.Deployment.AddDacl('Compliant_Access', "deny tcp any host 127.0.0.11 eq 8449`ndeny tcp any host 127.0.0.21 eq 8449`ndeny tcp any host 127.0.0.12 eq 8449`npermit ip any any")
            $connection = Connect-IseServer $double.Server -Credential $Cred -CertificateThumbprint $double.Thumbprint
            $sessions = Get-NadSession -Path (Join-Path $PSScriptRoot '../Fixtures/Nad/show-access-session.iosxe.txt')
            @($sessions | Where-Object { $_.DaclName -contains 'Compliant_Access' }).Count | Should -Be 2
            $results = $sessions | Test-ComplianceDacl -Connection $connection -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $results | ForEach-Object { $_.AclName | Should -Be 'Compliant_Access' }
            @($results | Where-Object Verdict -eq 'Fail' | ForEach-Object Psn) | Should -Be @('127.0.0.13') -Because 'the dACL lacks ise-psn3, one of the PSNs ISE reports'
            @($results | Where-Object Verdict -eq 'Pass').Count | Should -Be 3
            @($problems | ForEach-Object FullyQualifiedErrorId) | Should -Be @('IseDaclNotFound,PostureSync.TestComplianceDaclCommand') -Because 'ISE has no Posture_Pending'
            @($double.Requests | Where-Object { $_.Target -like '/ers/config/downloadableacl/*' }).Count | Should -Be 1
        }
        finally {
            $double.Dispose()
            $null = Connect-IseServer $Ise.Server -Credential $Cred -CertificateThumbprint $Ise.Thumbprint
        }
    }
}
