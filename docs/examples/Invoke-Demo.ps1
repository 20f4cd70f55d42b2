<#
.SYNOPSIS
    The main job on the bundled samples: run by `./build.ps1 -Task Demo` in a child pwsh against the built module.
    Every sample under docs/examples is SYNTHETIC, made from the documented formats (see docs/examples/README.md).
    The live port check runs against a PSN double on loopback; nothing leaves this machine.

    Each step prints its command after "PS>" and then runs exactly that text, from the repository's root, so every
    command can be pasted and run again. Output is rendered at -Width columns (80 unless told).
#>
param([ValidateRange(40, 1000)] [int] $Width = 80)
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force
Set-Location -LiteralPath (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Invoke-Step([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "=== $Title" -ForegroundColor Cyan
    Write-Host "PS> $Command" -ForegroundColor DarkGray
    & ([scriptblock]::Create($Command)) | Out-String -Width $Width -Stream | Out-Host
}

Invoke-Step 'The posture profiles in the DART bundles' 'Get-ChildItem docs/examples/dart/*.zip | Get-PostureSyncConfig'
Invoke-Step 'A profile that misses the CSCwd58316 workaround, every property' 'Get-PostureSyncConfig docs/examples/profiles/cscwd58316 | Format-List'
Invoke-Step 'The agent''s state-sync story in the endpoint whose sync switched itself off' 'Get-DartSyncEvents docs/examples/dart/endpoint-sync-off.zip'
Invoke-Step 'The compliant dACLs, checked for the three PSNs (the bad one''s findings are warnings)' 'Test-ComplianceDacl -Path docs/examples/dacl/*.txt -PsnAddress 192.0.2.11, 192.0.2.12, 192.0.2.13'
Invoke-Step 'Health of every bundle, offline, worst first' 'Get-ChildItem docs/examples/dart/*.zip | Test-PostureSyncHealth | Sort-Object StatusOrder'
Invoke-Step 'Why each one has its verdict' 'Get-ChildItem docs/examples/dart/*.zip | Test-PostureSyncHealth | Format-List Endpoint, Status, Findings'
Invoke-Step 'The healthy bundle with the good dACL, PSN names mapped to addresses offline' ('Test-PostureSyncHealth -Path docs/examples/dart/endpoint-healthy.zip -DaclPath docs/examples/dacl/compliant-good.txt ' +
    "-PsnAddress @{ 'psn1.example.test' = '192.0.2.11'; 'psn2.example.test' = '192.0.2.12'; 'psn3.example.test' = '192.0.2.13' } | Format-List Endpoint, Status, Findings")

# A PSN double on loopback: psn1 listens (the dACL let it through), psn2 and psn3 do not. Names resolve through a
# hosts file, and the endpoint's installed profile is the healthy sample under a fake root.
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse('127.0.0.1'), 0)
$listener.Start()
$port = $listener.LocalEndpoint.Port
$work = Join-Path ([System.IO.Path]::GetTempPath()) ('posturesync-demo-' + [guid]::NewGuid().ToString('N'))
try {
    $hosts = New-Item -ItemType File -Path (Join-Path $work 'hosts') -Force
    Set-Content -LiteralPath $hosts -Value "127.0.0.1 psn1.example.test`n127.0.0.2 psn2.example.test`n127.0.0.3 psn3.example.test"
    $root = Join-Path $work 'endpoint'
    New-Item -ItemType Directory -Path (Join-Path $root 'opt/cisco/secureclient/iseposture') -Force | Out-Null
    Copy-Item 'docs/examples/profiles/healthy/ISEPostureCFG.xml' (Join-Path $root 'opt/cisco/secureclient/iseposture')
    # The install marker of the agent on macOS and Linux, so -WhatIf can say what a restart would run.
    New-Item -ItemType File -Path (Join-Path $root 'opt/cisco/secureclient/bin/csc_iseagentd') -Force | Out-Null
    $env:POSTURESYNC_HOSTS_FILE = $hosts.FullName
    $env:POSTURESYNC_SYSTEM_ROOT = $root
    Write-Host ''
    Write-Host "(The live steps below run against a PSN double: psn1.example.test is 127.0.0.1, listening on port $port.)" -ForegroundColor DarkGray

    Invoke-Step 'The live port check of the profile''s targets while Compliant' "Get-PostureSyncConfig | Test-PostureSyncPort -Port $port -PostureStatus Compliant -TimeoutSec 1"
    Invoke-Step 'The live health check of this endpoint' "Test-PostureSyncHealth -PostureStatus Compliant -Port $port -TimeoutSec 1 | Format-List Endpoint, Status, Findings"
    Invoke-Step 'What bringing sync back would run' 'Test-PostureSyncHealth -Path docs/examples/dart/endpoint-sync-off.zip | Restart-PostureAgent -WhatIf'
}
finally {
    $listener.Stop()
    Remove-Item Env:POSTURESYNC_HOSTS_FILE, Env:POSTURESYNC_SYSTEM_ROOT -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
