<#
.SYNOPSIS
    Test-IseComplianceDacl over the loopback ISE double holding 300 dACLs, 60 Compliant rules (each its own profile and
    dACL) and 12 PSNs, each answer delayed 20 ms to stand for ISE's own latency. Prints the requests made and the wall
    time at the default -ThrottleLimit (4) and at -ThrottleLimit 1.
    Targets: the same results both ways; requests = list pages + profiles + dACLs read + policy reads (no dACL read
    twice, none it did not need); the default at least twice as fast as -ThrottleLimit 1. Loopback only.
#>
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force
. (Join-Path $PSScriptRoot '../PostureSync.IseDouble/IseDouble.ps1')

$dacls = 300; $rules = 60; $psns = 12
Import-IseDouble
$ise = Start-IseDouble ([PostureSync.IseDouble.IseDeployment]::Generated($dacls, $rules, $psns))
try {
    $ise.Latency = [TimeSpan]::FromMilliseconds(20)
    $common = @{ Server = $ise.Server; Credential = (New-IseDoubleCredential); CertificateThumbprint = $ise.Thumbprint }
    # Warm-up on a small read: load and JIT the cmdlets, so the runs measure the audit.
    $null = Get-IseDacl @common -Name DACL_0000

    function Measure-Audit([int] $Throttle) {
        $before = $ise.RequestCount
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $rows = Test-IseComplianceDacl @common -ThrottleLimit $Throttle
        [pscustomobject]@{ Throttle = $Throttle; Seconds = $watch.Elapsed.TotalSeconds; Requests = $ise.RequestCount - $before; MaxInFlight = $ise.MaxInFlight; Rows = $rows }
    }

    # -ThrottleLimit 1 first: the double's MaxInFlight then shows each run's concurrency.
    $serial = Measure-Audit 1
    $default = Measure-Audit 4
    $failures = @($default.Rows | Where-Object Verdict -eq 'Fail').Count
    "Deployment: $dacls dACLs, $rules Compliant rules, $psns PSNs; 20 ms per answer"
    "Test-IseComplianceDacl -ThrottleLimit 4 (default): {0} requests, {1:N2} s wall, at most {2} in flight, {3} results ({4} Fail)" -f $default.Requests, $default.Seconds, $default.MaxInFlight, @($default.Rows).Count, $failures
    "Test-IseComplianceDacl -ThrottleLimit 1:           {0} requests, {1:N2} s wall, at most {2} in flight" -f $serial.Requests, $serial.Seconds, $serial.MaxInFlight
    "Speed-up: {0:N1}x" -f ($serial.Seconds / $default.Seconds)

    # 3 list pages of dACLs + deployment node + ERS node list + 12 node details + policy sets + global exception
    # + per set (1) exception and authorization + 60 profiles + 60 dACLs.
    $expected = 3 + 1 + 1 + $psns + 1 + 1 + 2 + $rules + $rules
    $same = (($default.Rows | ForEach-Object { "$($_.Rule)|$($_.PsnAddress)|$($_.Verdict)" }) -join "`n") -eq (($serial.Rows | ForEach-Object { "$($_.Rule)|$($_.PsnAddress)|$($_.Verdict)" }) -join "`n")
    $ok = $same -and $failures -eq $rules / 2 -and $serial.MaxInFlight -eq 1 -and $default.MaxInFlight -le 4 -and $default.Requests -eq $expected -and $serial.Requests -eq $expected -and @($default.Rows).Count -eq $rules * $psns -and $serial.Seconds / $default.Seconds -ge 2
    if (-not $ok) { "Missed: want identical results, $expected requests each run, $($rules * $psns) results of which $($rules / 2) Fail, 1 and at most 4 in flight, a 2x speed-up."; exit 1 }
}
finally { $ise.Dispose() }
