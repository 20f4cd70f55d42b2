<#
.SYNOPSIS
    The main job on the bundled samples: run by `./build.ps1 -Task Demo` in a child pwsh against the built module.
    Every sample under docs/examples is SYNTHETIC, made from the documented formats (see docs/examples/README.md).
    The live port check runs against a PSN double on loopback; nothing leaves this machine.
#>
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force
$examples = $PSScriptRoot
$dart = Join-Path $examples 'dart'

function Show-Step([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "=== $Title" -ForegroundColor Cyan
    if ($Command) { Write-Host "PS> $Command" -ForegroundColor DarkGray }
}

Show-Step 'The posture profiles in the DART bundles' 'Get-ChildItem docs/examples/dart/*.zip | Get-PostureSyncConfig'
Get-ChildItem $dart -Filter *.zip | Get-PostureSyncConfig | Format-Table | Out-Host

Show-Step 'A profile that misses the CSCwd58316 workaround, every property' 'Get-PostureSyncConfig docs/examples/profiles/cscwd58316 | Format-List'
Get-PostureSyncConfig (Join-Path $examples 'profiles/cscwd58316') | Format-List | Out-Host

Show-Step 'The agent''s state-sync story in the endpoint whose sync switched itself off' 'Get-DartSyncEvents docs/examples/dart/endpoint-sync-off.zip'
Get-DartSyncEvents (Join-Path $dart 'endpoint-sync-off.zip') | Format-Table | Out-Host

Show-Step 'The compliant dACLs, checked for the PSNs 192.0.2.11 and 192.0.2.12' 'Test-ComplianceDacl -Path docs/examples/dacl/*.txt -PsnAddress 192.0.2.11, 192.0.2.12'
Test-ComplianceDacl -Path (Join-Path $examples 'dacl/*.txt') -PsnAddress 192.0.2.11, 192.0.2.12 -WarningAction SilentlyContinue | Format-Table | Out-Host

Show-Step 'Health of every bundle, offline' 'Get-ChildItem docs/examples/dart/*.zip | Test-PostureSyncHealth'
$reports = Get-ChildItem $dart -Filter *.zip | Test-PostureSyncHealth
$reports | Format-Table | Out-Host
$reports | Where-Object Status -ne 'Healthy' | Format-List | Out-Host

# A PSN double on loopback: psn1 listens (the dACL let it through), psn2 does not. Names resolve through a hosts file.
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse('127.0.0.1'), 0)
$listener.Start()
$port = $listener.LocalEndpoint.Port
$portResults = @()
$work = Join-Path ([System.IO.Path]::GetTempPath()) ('posturesync-demo-' + [guid]::NewGuid().ToString('N'))
try {
    $hosts = New-Item -ItemType File -Path (Join-Path $work 'hosts') -Force
    Set-Content -LiteralPath $hosts -Value "127.0.0.1 psn1.example.test`n127.0.0.2 psn2.example.test`n127.0.0.3 psn3.example.test"
    $root = Join-Path $work 'endpoint'
    New-Item -ItemType Directory -Path (Join-Path $root 'opt/cisco/secureclient/iseposture') -Force | Out-Null
    Copy-Item (Join-Path $examples 'profiles/healthy/ISEPostureCFG.xml') (Join-Path $root 'opt/cisco/secureclient/iseposture')
    # The install marker of the agent on macOS and Linux, so -WhatIf can say what a restart would run.
    New-Item -ItemType File -Path (Join-Path $root 'opt/cisco/secureclient/bin/csc_iseagentd') -Force | Out-Null
    $env:POSTURESYNC_HOSTS_FILE = $hosts.FullName
    $env:POSTURESYNC_SYSTEM_ROOT = $root

    Show-Step "The live port check of the profile's targets while Compliant (PSN double on 127.0.0.1:$port)" "Get-PostureSyncConfig | Test-PostureSyncPort -Port $port -PostureStatus Compliant -TimeoutSec 1"
    $portResults = @(Get-PostureSyncConfig | Test-PostureSyncPort -Port $port -PostureStatus Compliant -TimeoutSec 1)
    $portResults | Format-Table | Out-Host

    Show-Step 'The live health check of this endpoint' "Test-PostureSyncHealth -PostureStatus Compliant -Port $port -TimeoutSec 1"
    Test-PostureSyncHealth -PostureStatus Compliant -Port $port -TimeoutSec 1 | Format-List | Out-Host

    Show-Step 'What bringing sync back would run' 'Test-PostureSyncHealth -Path docs/examples/dart/endpoint-sync-off.zip | Restart-PostureAgent -WhatIf'
    Test-PostureSyncHealth -Path (Join-Path $dart 'endpoint-sync-off.zip') | Restart-PostureAgent -WhatIf -ErrorAction Continue
}
finally {
    $listener.Stop()
    Remove-Item Env:POSTURESYNC_HOSTS_FILE, Env:POSTURESYNC_SYSTEM_ROOT -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

$page = Join-Path $examples '../../out/demo-report.html'
Show-Step 'One HTML page for a colleague: the bundles'' health, their events, the dACL checks and the port check' 'Export-PostureSyncReport -Path out/demo-report.html'
$dacls = Test-ComplianceDacl -Path (Join-Path $examples 'dacl/*.txt') -PsnAddress 192.0.2.11, 192.0.2.12 -WarningAction SilentlyContinue
$file = @($reports) + @(Get-ChildItem $dart -Filter *.zip | Get-DartSyncEvents) + @($dacls) + @($portResults) |
    Export-PostureSyncReport -Path $page -Title 'PostureSync demo: the sample bundles' -PassThru
Write-Host "The report is at $($file.FullName) ($('{0:N0}' -f $file.Length) bytes); open it in a browser."

# A loopback HTTPS double of ISE (tests/PostureSync.IseDouble): three PSNs on 127.0.0.x (one with two interfaces and
# IPv6 ::1), good and bad Compliant dACLs, nested, library, exception and monitor-mode rules. Nothing leaves this machine.
. (Join-Path $examples '../../tests/PostureSync.IseDouble/IseDouble.ps1')
$ise = Start-IseDouble
try {
    Show-Step "The ISE side: connect (ISE double on $($ise.Server), its certificate pinned)" 'Connect-IseServer <pan> -Credential (Get-Credential) -CertificateThumbprint <thumbprint>'
    Connect-IseServer $ise.Server -Credential (New-IseDoubleCredential) -CertificateThumbprint $ise.Thumbprint | Format-Table | Out-Host

    Show-Step 'The PSNs ISE knows, every interface' 'Get-IsePsn'
    Get-IsePsn | Format-Table | Out-Host

    Show-Step 'Every dACL the rules give Compliant sessions, against every PSN address: the verdict table' 'Test-IseComplianceDacl'
    $audit = Test-IseComplianceDacl
    $audit | Format-Table | Out-Host
    Show-Step 'What to fix' 'Test-IseComplianceDacl | Where-Object Verdict -ne Pass | Format-List Rule, Dacl, PsnAddress, Verdict, Reason, Findings'
    $audit | Where-Object Verdict -ne Pass | Select-Object -First 3 | Format-List Rule, Profile, Dacl, PsnAddress, Verdict, Reason, Findings | Out-Host

    Show-Step 'What ISE believes about one endpoint''s session' 'Get-IseSessionPosture 00-14-22-01-23-45'
    Get-IseSessionPosture 00-14-22-01-23-45 | Format-Table | Out-Host
}
finally { $ise.Dispose() }
