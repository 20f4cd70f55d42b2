# Real PowerShell remoting over SSH to loopback: what an admin gets from Invoke-Command across a fleet.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/SshLoopback.ps1')
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Server = Start-LoopbackSshd (Join-Path ([System.IO.Path]::GetTempPath()) ("psync-sshd-" + [guid]::NewGuid().ToString('N'))) (Split-Path -Parent (Split-Path -Parent $env:POSTURESYNC_MODULE))
    $script:Fixture = (Resolve-Path (Join-Path $PSScriptRoot '../Fixtures/Config/enabled.pretty.xml')).Path
    $script:Bundle = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples/dart/endpoint-sync-off.zip')).Path

    function Invoke-Fleet {
        [CmdletBinding()]
        param([scriptblock] $ScriptBlock, [object[]] $ArgumentList = @())
        $connection = @{
            HostName     = $Server.Hosts
            Port         = $Server.Port
            UserName     = $Server.UserName
            KeyFilePath  = $Server.KeyFile
            Options      = $Server.Options
            ScriptBlock  = $ScriptBlock
            ArgumentList = @($env:POSTURESYNC_MODULE) + $ArgumentList
        }
        Invoke-Command @connection
    }
}

AfterAll {
    Stop-LoopbackSshd $Server
}

Describe 'Across a fleet over SSH remoting' {
    BeforeEach {
        if ($Server.Skip) { Set-ItResult -Skipped -Because $Server.Skip }
    }

    It 'returns one result per host, tagged with PSComputerName, rendered with the module view' {
        $results = Invoke-Fleet { param($module, $path) Import-Module $module; Get-PostureSyncConfig -LiteralPath $path } @($Fixture)
        @($results).Count | Should -Be 3
        @($results.PSComputerName | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.2', '127.0.0.3')
        foreach ($result in $results) {
            $result.PSTypeNames[0] | Should -Be 'Deserialized.PostureSync.PostureSyncConfig'
            $result.StateSyncProbeInterval | Should -Be 30
            @($result.ProbeTargets) | Should -Be @('psn1.example.test', 'psn2.example.test', 'psn3.example.test:8449')
        }
        ($results | Format-Table | Out-String -Width 250) | Should -Match 'Source\s+Client\s+Sync\s+Every\s+NTD\s+Findings'
    }

    It 'returns remote errors as non-terminating ErrorRecords with their ErrorIds, and the other results still arrive' {
        $results = Invoke-Fleet {
            param($module, $good)
            Import-Module $module
            Get-PostureSyncConfig -LiteralPath '/no/such/ISEPostureCFG.xml', $good
        } @($Fixture) -ErrorVariable remoteErrors -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 3
        $remoteErrors.Count | Should -Be 3
        foreach ($record in $remoteErrors) {
            $record.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.OriginInfo.PSComputerName | Should -BeIn $Server.Hosts
        }
    }

    It 'brings health reports home that render with the view and pipe into the next cmdlet locally' {
        $reports = Invoke-Fleet { param($module, $bundle) Import-Module $module; Test-PostureSyncHealth -Path $bundle } @($Bundle)
        @($reports).Count | Should -Be 3
        $reports[0].PSTypeNames[0] | Should -Be 'Deserialized.PostureSync.HealthReport'
        $reports[0].NeedsAgentRestart | Should -BeTrue
        @($reports[0].Findings).Count | Should -BeGreaterThan 0
        ($reports | Format-Table | Out-String -Width 250) | Should -Match 'Status\s+Endpoint\s+Posture\s+Restart\s+Findings'

        # Deserialized reports bind NeedsAgentRestart, Source, Endpoint and PSComputerName by property name: each is
        # another host's report, so nothing is restarted here and each error says where to restart instead.
        $env:POSTURESYNC_SYSTEM_ROOT = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'root') -Force).FullName
        try { $reports | Restart-PostureAgent -WhatIf -ErrorVariable restartErrors -ErrorAction SilentlyContinue }
        finally { Remove-Item Env:POSTURESYNC_SYSTEM_ROOT }
        $restartErrors.Count | Should -Be 3 -Because 'each remote report asking for a restart is refused here, not turned into a local restart'
        $restartErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'RestartNotForThisEndpoint,*' }
        "$($restartErrors[0].ErrorDetails.RecommendedAction)" | Should -Match 'Invoke-Command -ComputerName \S+ \{ Restart-PostureAgent -Confirm:\$false \}'
    }

    It 'pipes deserialized profiles into Test-PostureSyncPort locally, binding ProbeTargets' {
        $configs = Invoke-Fleet { param($module, $path) Import-Module $module; Get-PostureSyncConfig -LiteralPath $path } @($Fixture)
        $hosts = Join-Path $TestDrive 'hosts'
        Set-Content -LiteralPath $hosts -Value "127.0.0.1 psn1.example.test psn2.example.test psn3.example.test"
        $env:POSTURESYNC_HOSTS_FILE = $hosts
        try { $results = $configs | Test-PostureSyncPort -Port (Get-FreeLoopbackPort) -TimeoutSec 1 }
        finally { Remove-Item Env:POSTURESYNC_HOSTS_FILE }
        @($results).Count | Should -Be 9
        @($results.TargetName | Select-Object -Unique) | Should -Be @('psn1.example.test', 'psn2.example.test', 'psn3.example.test')
        $results | ForEach-Object { $_.State | Should -Be 'Closed' }
    }

    It 'runs the throttled SSH example of docs/fleet.md as written, past a host that cannot be reached' {
        $page = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/fleet.md')
        $example = [regex]::Match($page, '(?ms)^```powershell\r?\n(?<code>\$fleet = Get-Content \./ssh-fleet\.txt.*?)^```').Groups['code'].Value
        $example | Should -Match 'New-PSSession -HostName'
        $work = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'ssh-docs') -Force
        # 127.0.0.4 has no sshd: a host that cannot be reached, on loopback.
        Set-Content -LiteralPath (Join-Path $work 'ssh-fleet.txt') -Value (@($Server.Hosts) + '127.0.0.4')
        # What a user's ssh setup gives (account, key, port): defaults, so the example's own text runs unchanged.
        $defaults = @{ 'New-PSSession:Port' = $Server.Port; 'New-PSSession:UserName' = $Server.UserName; 'New-PSSession:KeyFilePath' = $Server.KeyFile; 'New-PSSession:Options' = $Server.Options }
        $saved = $PSDefaultParameterValues.Clone()
        Push-Location -LiteralPath $work
        try {
            foreach ($key in $defaults.Keys) { $PSDefaultParameterValues[$key] = $defaults[$key] }
            $sshErrors = @()
            . ([scriptblock]::Create($example)) | Out-Null
        }
        finally { Pop-Location; $PSDefaultParameterValues.Clear(); foreach ($key in $saved.Keys) { $PSDefaultParameterValues[$key] = $saved[$key] } }
        @($reports).Count | Should -Be 3
        @($reports.PSComputerName | Sort-Object) | Should -Be @('127.0.0.1', '127.0.0.2', '127.0.0.3')
        $reports[0].PSTypeNames[0] | Should -Be 'Deserialized.PostureSync.HealthReport'
        @(Get-PSSession).Count | Should -Be 0 -Because 'every batch''s sessions are removed'
    }

    It 'leaves no sshd process and no throwaway folder behind' {
        $processes = @(Get-LoopbackSshdProcesses $Server)
        $processes.Count | Should -BeGreaterThan 0 -Because 'the server is still running before it is stopped'
        Stop-LoopbackSshd $Server
        $processes | ForEach-Object { $_.HasExited | Should -BeTrue -Because "process $($_.Id) ($($_.ProcessName)) was started for the tests" }
        Test-Path -LiteralPath $Server.Directory | Should -BeFalse
    }
}
