# End to end on Linux with a stub systemctl first on PATH and the install marker under a test-made root: the real
# systemctl is never reached. macOS and Windows paths are covered by the xunit fakes (tests/PostureSync.Core.Tests/Agent).
BeforeDiscovery {
    $script:OnLinux = $IsLinux
    $script:AsRoot = $IsLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Dotnet = (Get-Process -Id $PID).Path
    $script:PwshDll = Join-Path $PSHOME 'pwsh.dll'

    # The system root: the install marker, and a /proc whose vpnagentd the stub replaces on restart, as systemd does.
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'root')).FullName
    $marker = New-Item -ItemType File -Path (Join-Path $Root 'opt/cisco/secureclient/bin/csc_iseagentd') -Force
    $script:EmptyRoot = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty-root')).FullName

    # Stub state: what it was asked (calls.log), how to answer (mode: ok | fail | hang), vpnagentd's process id.
    # World-writable, so a stub wrongly run by the unprivileged child would leave its record.
    $script:StubState = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'stub-state')).FullName
    $script:StubBin = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bin')).FullName
    $script:CallLog = Join-Path $StubState 'calls.log'
    $stub = Join-Path $StubBin 'systemctl'
    # Knows only restart, like the one call the restart makes: any other verb fails, so an extra query shows.
    @"
#!/bin/sh
# Stub systemctl made by Restart-PostureAgent.Tests.ps1: records its arguments and answers restart like systemd.
dir='$StubState'
proc='$Root/proc'
echo "`$*" >> "`$dir/calls.log"
case "`$1" in
  restart)
    case "`$(cat "`$dir/mode")" in
      fail) echo "Job for `$2.service failed because the control process exited with error code." >&2; exit 1 ;;
      hang) echo `$`$ > "`$dir/hang.pid"; exec sleep 60 ;;
    esac
    old=`$(cat "`$dir/pid"); new=`$(( old + 1 ))
    rm -rf "`$proc/`$old"; mkdir -p "`$proc/`$new"; echo vpnagentd > "`$proc/`$new/comm"
    echo `$new > "`$dir/pid"
    exit 0 ;;
esac
echo "Unknown command verb `$1." >&2
exit 1
"@ | Set-Content -LiteralPath $stub -NoNewline
    if ($IsLinux) { & chmod 755 $stub; & chmod 777 $StubState }

    $script:SavedPath = $env:PATH
    $script:SavedRoot = $env:POSTURESYNC_SYSTEM_ROOT
    $env:PATH = $StubBin + [System.IO.Path]::PathSeparator + $env:PATH
    $env:POSTURESYNC_SYSTEM_ROOT = $Root

    function Reset-Stub([string] $Mode = 'ok') {
        Remove-Item -LiteralPath $CallLog, (Join-Path $StubState 'hang.pid') -ErrorAction SilentlyContinue
        Set-Content -LiteralPath (Join-Path $StubState 'mode') -Value $Mode
        Set-Content -LiteralPath (Join-Path $StubState 'pid') -Value 1200
        Remove-Item -LiteralPath (Join-Path $Root 'proc') -Recurse -ErrorAction SilentlyContinue
        New-Item -ItemType Directory -Path (Join-Path $Root 'proc/1200') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $Root 'proc/1200/comm') -Value 'vpnagentd'
        if ($IsLinux) { & chmod 666 (Join-Path $StubState 'mode') (Join-Path $StubState 'pid') }
    }

    function Get-Calls { if (Test-Path -LiteralPath $CallLog) { @(Get-Content -LiteralPath $CallLog) } else { @() } }

    # Runs a command in a fresh non-interactive pwsh that imports the module, and returns all it printed.
    function Invoke-ModuleChild([string] $Command, [string[]] $Prefix = @(), [string] $Dll = $PwshDll, [string] $Module = $env:POSTURESYNC_MODULE) {
        $script = "Import-Module '$Module'; $Command"
        $all = @($Prefix) + @($Dotnet, $Dll, '-NoProfile', '-NonInteractive', '-Command', $script)
        $output = & $all[0] @($all | Select-Object -Skip 1) 2>&1 | Out-String -Width 400
        $output
    }
}

AfterAll {
    $env:PATH = $SavedPath
    $env:POSTURESYNC_SYSTEM_ROOT = $SavedRoot
}

Describe 'Restart-PostureAgent (Linux, stub systemctl)' -Skip:(-not $OnLinux) {
    BeforeEach { Reset-Stub }

    It 'finds the stub first on PATH, never the real systemctl' {
        (Get-Command systemctl -CommandType Application | Select-Object -First 1).Source | Should -Be (Join-Path $StubBin 'systemctl')
    }

    It 'runs "systemctl restart vpnagentd" and no other systemctl call, and -PassThru returns the result' -Skip:(-not $AsRoot) {
        $before = Get-Date
        $result = Restart-PostureAgent -Force -PassThru

        # systemctl runs once: its exit code proves the restart, the process ids come from the root's /proc.
        @(Get-Calls) | Should -Be @('restart vpnagentd')
        $result.PSTypeNames[0] | Should -Be 'PostureSync.AgentRestartResult'
        $result.Name | Should -Be 'csc_iseagentd'
        $result.Platform | Should -Be 'Linux'
        $result.Method | Should -Be 'systemctl restart vpnagentd'
        $result.StatusBefore | Should -Be 'Running'
        $result.StatusAfter | Should -Be 'Running'
        $result.ProcessIdBefore | Should -Be 1200
        $result.ProcessIdAfter | Should -Be 1201
        $result.RestartedAt | Should -BeGreaterOrEqual $before.AddSeconds(-1)
        $result.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
    }

    It 'restarts with a systemctl that only exits 0, and no vpnagentd in /proc: Unknown before, Running after' -Skip:(-not $AsRoot) {
        $bareBin = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bare-bin') -Force).FullName
        $bareLog = Join-Path $TestDrive 'bare-calls.log'
        "#!/bin/sh`necho `"`$*`" >> '$bareLog'`nexit 0`n" | Set-Content -LiteralPath (Join-Path $bareBin 'systemctl') -NoNewline
        & chmod 755 (Join-Path $bareBin 'systemctl')
        Remove-Item -LiteralPath (Join-Path $Root 'proc') -Recurse
        $env:PATH = $bareBin + [System.IO.Path]::PathSeparator + $env:PATH
        try { $result = Restart-PostureAgent -Force -PassThru }
        finally { $env:PATH = $env:PATH.Substring($bareBin.Length + 1) }
        $result.StatusBefore | Should -Be 'Unknown'
        $result.ProcessIdBefore | Should -BeNullOrEmpty
        $result.StatusAfter | Should -Be 'Running' -Because 'systemctl restart returned 0, so systemd finished the start job'
        $result.ProcessIdAfter | Should -BeNullOrEmpty
        @(Get-Content -LiteralPath $bareLog) | Should -Be @('restart vpnagentd')
    }

    It 'shows the result with its table and list views' -Skip:(-not $AsRoot) {
        $result = Restart-PostureAgent -Force -PassThru
        $table = $result | Format-Table | Out-String -Width 200
        $table | Should -Match 'Name\s+Before\s+After\s+Duration\s+Platform\s+Method'
        $table | Should -Match 'csc_iseagentd\s+Running\s+Running\s+[\d.]+ s\s+Linux\s+systemctl restart vpnagentd'
        $list = $result | Format-List | Out-String -Width 200
        $list | Should -Match 'ProcessIdBefore\s*:\s*1200'
        $list | Should -Match 'ProcessIdAfter\s*:\s*1201'
        $list | Should -Match 'RestartedAt\s*:'
    }

    It 'writes nothing without -PassThru' -Skip:(-not $AsRoot) {
        Restart-PostureAgent -Force | Should -BeNullOrEmpty
        @(Get-Calls) -contains 'restart vpnagentd' | Should -BeTrue
    }

    It '-WhatIf says exactly what would run, warns about the tunnel, and runs nothing' {
        $output = Invoke-ModuleChild 'Restart-PostureAgent -WhatIf'
        $output | Should -Match 'What if: .*systemctl restart vpnagentd'
        $output | Should -Match ([regex]::Escape((Join-Path $StubBin 'systemctl')))
        $output | Should -Match 'DROPS any VPN tunnel'
        Test-Path -LiteralPath $CallLog | Should -BeFalse
    }

    It 'restarts without prompting in a non-interactive session' -Skip:(-not $AsRoot) {
        $output = Invoke-ModuleChild 'Restart-PostureAgent -PassThru | ForEach-Object Method'
        $output.Trim() | Should -Be 'systemctl restart vpnagentd'
        @(Get-Calls) -contains 'restart vpnagentd' | Should -BeTrue
    }

    It 'still asks in a non-interactive session when -Confirm is given, so nothing runs there' -Skip:(-not $AsRoot) {
        $output = Invoke-ModuleChild 'Restart-PostureAgent -Confirm'
        $output | Should -Match 'NonInteractive|prompt'
        @(Get-Calls) -contains 'restart vpnagentd' | Should -BeFalse
    }

    It 'still asks when -Confirm comes from a calling function, even with -Force, so nothing runs there' -Skip:(-not $AsRoot) {
        $output = Invoke-ModuleChild 'function Repair-Agent { [CmdletBinding(SupportsShouldProcess)] param() Restart-PostureAgent -Force }; Repair-Agent -Confirm'
        $output | Should -Match 'NonInteractive|prompt'
        @(Get-Calls) -contains 'restart vpnagentd' | Should -BeFalse
    }

    It 'does not ask in a non-interactive session when -Confirm:$false is given' -Skip:(-not $AsRoot) {
        $output = Invoke-ModuleChild '$ConfirmPreference = ''Low''; (Restart-PostureAgent -Confirm:$false -PassThru).Method'
        $output.Trim() | Should -Be 'systemctl restart vpnagentd'
    }

    It 'reports a failing systemctl as AgentRestartFailed with its exit code and output' -Skip:(-not $AsRoot) {
        Reset-Stub -Mode fail
        Restart-PostureAgent -Force -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AgentRestartFailed,*'
        $errors[0].TargetObject | Should -Be 'csc_iseagentd'
        $errors[0].Exception.Message | Should -Match 'exit code 1'
        $errors[0].Exception.Message | Should -Match 'Job for vpnagentd\.service failed'
        $errors[0].Exception.Data['ExitCode'] | Should -Be 1
        @(Get-Calls) | Should -Be @('restart vpnagentd')
    }

    It 'ends a systemctl that outlives -TimeoutSec with AgentRestartTimeout, within about the timeout' -Skip:(-not $AsRoot) {
        Reset-Stub -Mode hang
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Restart-PostureAgent -Force -TimeoutSec 2 -ErrorVariable errors -ErrorAction SilentlyContinue
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
        $clock.Elapsed.TotalSeconds | Should -BeLessThan (2 * 5) -Because 'the stub hangs far longer; five timeouts leave room for a busy machine'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AgentRestartTimeout,*'
        $errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errors[0].Exception.Message | Should -Match 'Last state seen: Running'
    }

    It 'reports AgentNotFound, naming both places, when no agent is installed, and runs nothing' {
        $env:POSTURESYNC_SYSTEM_ROOT = $EmptyRoot
        try {
            Restart-PostureAgent -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        finally { $env:POSTURESYNC_SYSTEM_ROOT = $Root }
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'AgentNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.Message | Should -Match 'secureclient/bin/csc_iseagentd'
        $errors[0].Exception.Message | Should -Match 'anyconnect/bin/aciseagentd'
        Test-Path -LiteralPath $CallLog | Should -BeFalse
    }

    It 'does nothing, and says so, when no piped object needs a restart' {
        $verbose = [pscustomobject]@{ NeedsAgentRestart = $false }, [pscustomobject]@{ NeedsAgentRestart = $false } |
            Restart-PostureAgent -Force -PassThru -Verbose 4>&1
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match 'None of the 2 input object'
        Test-Path -LiteralPath $CallLog | Should -BeFalse
    }

    It 'restarts exactly once when one or more piped live reports of this endpoint need it' -Skip:(-not $AsRoot) {
        $here = [Environment]::MachineName
        $results = @(
            [pscustomobject]@{ NeedsAgentRestart = $false; Source = 'Live'; Endpoint = $here }
            [pscustomobject]@{ NeedsAgentRestart = $true; Source = 'Live'; Endpoint = $here }
            [pscustomobject]@{ NeedsAgentRestart = $true; Source = 'Live'; Endpoint = $here }
        ) | Restart-PostureAgent -Force -PassThru
        @($results).Count | Should -Be 1
        @(Get-Calls | Where-Object { $_ -eq 'restart vpnagentd' }).Count | Should -Be 1
    }

    It 'ends at once on Ctrl+C while systemctl runs, and the tool is killed, not left behind' -Skip:(-not $AsRoot) {
        Reset-Stub -Mode hang
        $pidFile = Join-Path $StubState 'hang.pid'
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$env:POSTURESYNC_MODULE'; Restart-PostureAgent -Force -TimeoutSec 60")
            $running = $shell.BeginInvoke()
            $waited = [System.Diagnostics.Stopwatch]::StartNew()
            while (-not (Test-Path -LiteralPath $pidFile) -and $waited.Elapsed.TotalSeconds -lt 20) { Start-Sleep -Milliseconds 50 }
            $toolId = [int](Get-Content -LiteralPath $pidFile)
            Test-Path -LiteralPath "/proc/$toolId" | Should -BeTrue

            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'stopping must not wait out the 60 s timeout (10 s leaves room for a busy machine)'
            $running.IsCompleted | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            # Killed and reaped: no process, not even a zombie, keeps the id.
            Test-Path -LiteralPath "/proc/$toolId" | Should -BeFalse
        }
        finally { $shell.Dispose() }
    }

    It 'takes NeedsAgentRestart as the text False or True, as Import-Csv gives it' {
        $verbose = "NeedsAgentRestart`nFalse`nfalse" | ConvertFrom-Csv |
            Restart-PostureAgent -Force -PassThru -Verbose -ErrorVariable errors 4>&1
        $errors.Count | Should -Be 0
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match 'None of the 2 input object'
        Test-Path -LiteralPath $CallLog | Should -BeFalse
    }

    It 'restarts once for CSV rows of this endpoint''s live reports where one says True' -Skip:(-not $AsRoot) {
        $here = [Environment]::MachineName
        $results = @("NeedsAgentRestart,Source,Endpoint`nFalse,Live,$here`nTrue,Live,$here`nTRUE,Live,$here" | ConvertFrom-Csv | Restart-PostureAgent -Force -PassThru)
        $results.Count | Should -Be 1
        @(Get-Calls | Where-Object { $_ -eq 'restart vpnagentd' }).Count | Should -Be 1
    }

    It 'restarts once for a deserialized live health report of this endpoint that needs it' -Skip:(-not $AsRoot) {
        $report = [pscustomobject]@{ PSTypeName = 'PostureSync.HealthReport'; NeedsAgentRestart = $true; Source = 'Live'; Endpoint = [Environment]::MachineName }
        $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($report))
        $deserialized.PSTypeNames[0] | Should -Be 'Deserialized.PostureSync.HealthReport'
        $results = @($deserialized | Restart-PostureAgent -Force -PassThru)
        $results.Count | Should -Be 1
        @(Get-Calls | Where-Object { $_ -eq 'restart vpnagentd' }).Count | Should -Be 1
    }

    It 'reports text that is not a boolean as a binding error for that object and restarts nothing' {
        "NeedsAgentRestart`nmaybe" | ConvertFrom-Csv | Restart-PostureAgent -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match "'maybe' is not a boolean"
        Test-Path -LiteralPath $CallLog | Should -BeFalse
    }

    It 'refuses a non-root user with AgentRestartNeedsElevation before touching anything' -Skip:(-not $AsRoot) {
        # A real unprivileged process: pwsh as nobody through setpriv. /root and a checkout in a private folder
        # (mode 0700) are unreadable to nobody, so pwsh runs from a hard-linked copy of $PSHOME and the module from
        # a copy of the built module, both in TestDrive.
        $setpriv = Get-Command setpriv -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        & id nobody *> $null
        if (-not $setpriv -or $LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'setpriv or the user nobody is missing'; return }
        $pwshCopy = Join-Path $TestDrive 'pwsh'
        & cp -al $PSHOME $pwshCopy 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because "cannot hard-link $PSHOME into TestDrive"; return }
        $nobodyHome = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'nobody-home')).FullName
        & chmod 777 $nobodyHome
        $moduleCopy = Join-Path $TestDrive 'PostureSync'
        Copy-Item -LiteralPath (Split-Path $env:POSTURESYNC_MODULE) -Destination $moduleCopy -Recurse
        & chmod -R a+rX $moduleCopy
        & chmod a+x $TestDrive

        $output = Invoke-ModuleChild -Dll (Join-Path $pwshCopy 'pwsh.dll') -Module (Join-Path $moduleCopy 'PostureSync.psd1') -Prefix @($setpriv.Source, '--reuid=65534', '--regid=65534', '--clear-groups', 'env', "HOME=$nobodyHome") -Command @'
"uid=$(id -u)"
Restart-PostureAgent -Force -ErrorVariable failure -ErrorAction SilentlyContinue
$failure[0].FullyQualifiedErrorId; $failure[0].CategoryInfo.Category
'@
        $output | Should -Match 'uid=65534'
        $output | Should -Match 'AgentRestartNeedsElevation,PostureSync\.RestartPostureAgentCommand'
        $output | Should -Match 'PermissionDenied'
        Test-Path -LiteralPath $CallLog | Should -BeFalse
    }
}
