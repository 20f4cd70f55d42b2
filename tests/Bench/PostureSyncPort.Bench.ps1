<#
.SYNOPSIS
    Test-PostureSyncPort against 40 filtered loopback targets (127.0.0.2-41, each a listener with a full accept backlog
    so SYNs are dropped, as behind a dACL deny) at -TimeoutSec 1, and Test-Connection -TcpPort over a subset, scaled.
    Targets: wall time <= 1.5 s; ratio >= 10x. Loopback only.
#>
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force

$count = 40
$subset = 3
$sockets = [System.Collections.Generic.List[System.Net.Sockets.Socket]]::new()
$targets = foreach ($i in 2..($count + 1)) {
    $ip = [System.Net.IPAddress]::Parse("127.0.0.$i")
    $listener = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
    $listener.Bind([System.Net.IPEndPoint]::new($ip, 0))
    $listener.Listen(0)
    $filler = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
    $filler.Connect($listener.LocalEndPoint)
    $sockets.Add($listener); $sockets.Add($filler)
    [pscustomobject]@{ Address = "127.0.0.$i"; Port = $listener.LocalEndPoint.Port }
}

try {
    # Warm-up: load and JIT the cmdlet so the measured run is the network wait, not the first call.
    $null = Test-PostureSyncPort "127.0.0.1:$($targets[0].Port)" -TimeoutSec 0.2

    $names = $targets | ForEach-Object { "$($_.Address):$($_.Port)" }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    # The default -ThrottleLimit (32), fewer than the targets: waiting connects must not hold their slots.
    $results = Test-PostureSyncPort $names -TimeoutSec 1
    $ours = $watch.Elapsed.TotalSeconds
    $filtered = @($results | Where-Object State -eq 'Filtered').Count

    $watch.Restart()
    foreach ($target in $targets | Select-Object -First $subset) {
        $null = Test-Connection -TargetName $target.Address -TcpPort $target.Port -TimeoutSeconds 1
    }
    $theirs = $watch.Elapsed.TotalSeconds / $subset * $count
    $ratio = $theirs / $ours

    "Test-PostureSyncPort: $count filtered targets at -TimeoutSec 1, default -ThrottleLimit: {0:N2} s wall ($filtered Filtered)" -f $ours
    "Test-Connection -TcpPort -TimeoutSeconds 1: $subset targets measured, scaled to $($count): {0:N2} s" -f $theirs
    "Ratio: {0:N1}x" -f $ratio

    $ok = $filtered -eq $count -and $ours -le 1.5 -and $ratio -ge 10
    if (-not $ok) { "Missed: want $count Filtered, wall <= 1.5 s, ratio >= 10x."; exit 1 }
}
finally {
    $sockets | ForEach-Object Dispose
}
