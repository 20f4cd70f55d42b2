<#
    A throwaway sshd on loopback (127.0.0.1-3, one free port) with the pinned pwsh as its powershell subsystem, so
    fleet tests run real PowerShell remoting over SSH without touching the machine's own sshd or keys.
#>

function Find-Sshd {
    foreach ($candidate in '/usr/sbin/sshd', '/usr/local/sbin/sshd', '/usr/bin/sshd') {
        if (Test-Path $candidate) { return $candidate }
    }
    $found = Get-Command sshd -ErrorAction SilentlyContinue
    if ($found) { return $found.Source }
    $null
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Returns an object whose Skip says why when no sshd can be had here; else one describing the running server.
# Either way, pass it to Stop-LoopbackSshd: it removes the throwaway folder and ends every process the server started.
# -ModulePath goes first on the remote pwsh's PSModulePath, so 'Import-Module PostureSync' works there as on an endpoint;
# -Environment sets more variables for the remote pwsh (an endpoint's fake system root, stub tools first on PATH).
function Start-LoopbackSshd([string] $Directory, [string] $ModulePath, [hashtable] $Environment = @{}) {
    if ($IsWindows) { return [pscustomobject]@{ Skip = 'the loopback sshd fixture runs on Linux and macOS only' } }
    $sshd = Find-Sshd
    if (-not $sshd) { return [pscustomobject]@{ Skip = 'no sshd is installed (.ci/run installs openssh-server where it can)' } }
    $keygen = Get-Command ssh-keygen -ErrorAction SilentlyContinue
    if (-not $keygen) { return [pscustomobject]@{ Skip = 'ssh-keygen is missing' } }
    if ((id -u) -eq '0' -and -not (Test-Path /run/sshd)) { New-Item -ItemType Directory -Path /run/sshd -Force | Out-Null }

    New-Item -ItemType Directory -Path $Directory -Force | Out-Null
    $hostKey = Join-Path $Directory 'host_ed25519'
    $clientKey = Join-Path $Directory 'client_ed25519'
    & $keygen.Source -q -t ed25519 -N '' -f $hostKey | Out-Null
    & $keygen.Source -q -t ed25519 -N '' -f $clientKey | Out-Null
    Copy-Item "$clientKey.pub" (Join-Path $Directory 'authorized_keys')
    & chmod 600 $hostKey $clientKey (Join-Path $Directory 'authorized_keys')

    # The subsystem is the same pwsh that runs the tests: a small launcher, since the dotnet tool has no native host.
    $launcher = Join-Path $Directory 'pwsh-subsystem.sh'
    $dotnet = (Get-Command dotnet).Source
    Set-Content -LiteralPath $launcher -Value @(
        '#!/bin/sh'
        "export DOTNET_ROOT='$([System.IO.Path]::GetDirectoryName([System.IO.Path]::GetFullPath((Get-Command dotnet).Source)))'"
        if ($ModulePath) { "export PSModulePath='$ModulePath'" }
        foreach ($name in $Environment.Keys) { "export $name='$($Environment[$name])'" }
        "exec '$dotnet' '$(Join-Path $PSHOME 'pwsh.dll')' -sshs -NoLogo -NoProfile"
    )
    & chmod 755 $launcher

    $port = Get-FreeLoopbackPort
    $config = Join-Path $Directory 'sshd_config'
    $user = [Environment]::UserName
    Set-Content -LiteralPath $config -Value @(
        "Port $port"
        'ListenAddress 127.0.0.1'
        'ListenAddress 127.0.0.2'
        'ListenAddress 127.0.0.3'
        "HostKey $hostKey"
        "PidFile $(Join-Path $Directory 'sshd.pid')"
        "AuthorizedKeysFile $(Join-Path $Directory 'authorized_keys')"
        'PubkeyAuthentication yes'
        'PasswordAuthentication no'
        'KbdInteractiveAuthentication no'
        'UsePAM no'
        'StrictModes no'
        'PermitRootLogin prohibit-password'
        "AllowUsers $user"
        "Subsystem powershell $launcher"
    )
    $log = Join-Path $Directory 'sshd.log'
    $process = Start-Process -FilePath $sshd -ArgumentList '-D', '-e', '-f', $config -RedirectStandardError $log -PassThru
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    do {
        Start-Sleep -Milliseconds 100
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $port); $ready = $true } catch { $ready = $false } finally { $client.Dispose() }
    } until ($ready -or $process.HasExited -or [DateTime]::UtcNow -gt $deadline)
    if (-not $ready) {
        $reason = if (Test-Path $log) { (Get-Content $log -Raw) } else { 'no log' }
        if (-not $process.HasExited) { $process.Kill(); $process.WaitForExit(5000) | Out-Null }
        Remove-Item -LiteralPath $Directory -Recurse -Force -ErrorAction SilentlyContinue
        return [pscustomobject]@{ Skip = "sshd did not start: $reason" }
    }

    [pscustomobject]@{
        Skip     = $null
        Process  = $process
        Port     = $port
        UserName = $user
        KeyFile  = $clientKey
        Hosts    = @('127.0.0.1', '127.0.0.2', '127.0.0.3')
        # Command-line options win over ~/.ssh/config and /etc/ssh/ssh_config, so the user's own keys, agent,
        # known hosts, multiplexing or proxies play no part; BatchMode makes ssh fail rather than prompt.
        Options  = @{
            StrictHostKeyChecking = 'no'
            UserKnownHostsFile    = '/dev/null'
            GlobalKnownHostsFile  = '/dev/null'
            IdentitiesOnly        = 'yes'
            IdentityAgent         = 'none'
            ControlPath           = 'none'
            ProxyCommand          = 'none'
            BatchMode             = 'yes'
            LogLevel              = 'ERROR'
        }
        Log       = $log
        Directory = $Directory
    }
}

# The server and every process below it (a session's sshd, the pwsh subsystem it started), by process id.
function Get-LoopbackSshdProcesses($Server) {
    if (-not $Server -or -not $Server.Process) { return }
    $tree = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $tree.Add($Server.Process)
    $everyone = @(Get-Process)
    for ($i = 0; $i -lt $tree.Count; $i++) {
        $parentId = $tree[$i].Id
        foreach ($child in $everyone) {
            $parent = try { $child.Parent } catch { $null }
            if ($parent -and $parent.Id -eq $parentId -and $child.Id -ne $parentId) { $tree.Add($child) }
        }
    }
    $tree | Where-Object { -not $_.HasExited }
}

function Stop-LoopbackSshd($Server) {
    if (-not $Server) { return }
    foreach ($process in @(Get-LoopbackSshdProcesses $Server)) {
        try { $process.Kill(); $process.WaitForExit(5000) | Out-Null } catch [System.InvalidOperationException] { }
    }
    if ($Server.Directory -and (Test-Path -LiteralPath $Server.Directory)) { Remove-Item -LiteralPath $Server.Directory -Recurse -Force }
}
