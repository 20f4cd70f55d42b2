<#
.SYNOPSIS
    The main job on the bundled samples: run by `./build.ps1 -Task Demo` in a child pwsh against the built module.
    Every sample under docs/examples is SYNTHETIC, made from the documented formats (see docs/examples/README.md).
    The live port check runs against a PSN double on loopback, the ISE steps against a loopback ISE double
    (tests/PostureSync.IseDouble); nothing leaves this machine.

    Each step prints its command after "PS>" and then runs exactly that text, from the repository's root, so every
    command can be pasted and run again (the live and ISE ones while their doubles run). Output is rendered at -Width
    columns (80 unless told). With -Command, only that command runs, rendered the same way: what a step shows is what
    its printed command gives (tests/Pester/DocExamples.Tests.ps1 checks it).
#>
param(
    [ValidateRange(40, 1000)] [int] $Width = 80,
    [string] $Command
)
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force
Set-Location -LiteralPath (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

# A warning's or an error's text, word-wrapped to the width like the tables around it.
function Format-Message([string] $Prefix, [string] $Text) {
    $line = $Prefix
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($line.Length -gt 0 -and $line.Length + 1 + $word.Length -gt $Width) { $line; $line = '  ' }
        $line = if ($line.Trim()) { "$line $word" } else { "$line$word" }
    }
    if ($line.Trim()) { $line }
}

# Output, errors and warnings, in the order they come, at the same width.
function Show-Command([string] $Command) {
    & ([scriptblock]::Create($Command)) 2>&1 3>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.WarningRecord]) { Format-Message 'WARNING:' $_.Message }
        elseif ($_ -is [System.Management.Automation.ErrorRecord]) {
            Format-Message "ERROR ($($_.FullyQualifiedErrorId.Split(',')[0])):" $_.Exception.Message
            if ($_.ErrorDetails.RecommendedAction) { Format-Message '  Recommendation:' $_.ErrorDetails.RecommendedAction }
        }
        else { $_ }
    } | Out-String -Width $Width -Stream
}

function Invoke-Step([string] $Title, [string] $Command) {
    Write-Host ''
    Write-Host "=== $Title" -ForegroundColor Cyan
    Write-Host "PS> $Command" -ForegroundColor DarkGray
    Show-Command $Command | Out-Host
}

if ($Command) { Show-Command $Command; return }

Invoke-Step 'The posture profiles in the DART bundles' 'Get-ChildItem docs/examples/dart/*.zip | Get-PostureSyncConfig'
Invoke-Step 'A profile that misses the CSCwd58316 workaround, every property' 'Get-PostureSyncConfig docs/examples/profiles/cscwd58316 | Format-List'
Invoke-Step 'The state-sync story of the endpoint whose sync switched itself off' 'Get-DartSyncEvents docs/examples/dart/endpoint-sync-off.zip'
Invoke-Step 'The compliant dACLs against the three PSNs (the bad one''s findings warn)' 'Test-ComplianceDacl -Path docs/examples/dacl/*.txt -PsnAddress 192.0.2.11, 192.0.2.12, 192.0.2.13'
Invoke-Step 'Health of every bundle, offline, worst first' 'Get-ChildItem docs/examples/dart/*.zip | Test-PostureSyncHealth | Sort-Object StatusOrder'
Invoke-Step 'Why each one has its verdict' 'Get-ChildItem docs/examples/dart/*.zip | Test-PostureSyncHealth | Format-List Endpoint, Status, Findings'
Invoke-Step 'The healthy bundle with the good dACL, PSN names mapped offline' ('Test-PostureSyncHealth -Path docs/examples/dart/endpoint-healthy.zip -DaclPath docs/examples/dacl/compliant-good.txt ' +
    "-PsnAddress @{ 'psn1.example.test' = '192.0.2.11'; 'psn2.example.test' = '192.0.2.12'; 'psn3.example.test' = '192.0.2.13' } | Format-List Endpoint, Status, Findings")
Invoke-Step 'A bundle''s report restarts nothing here: restart where it came from' 'Test-PostureSyncHealth -Path docs/examples/dart/endpoint-sync-off.zip | Restart-PostureAgent -WhatIf -ErrorAction Continue'

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
    Write-Host "(Live steps: a PSN double; psn1.example.test is 127.0.0.1, port $port listens.)" -ForegroundColor DarkGray

    Invoke-Step 'The live port check of the profile''s targets while Compliant' "Get-PostureSyncConfig | Test-PostureSyncPort -Port $port -PostureStatus Compliant -TimeoutSec 1"
    Invoke-Step 'The live health check of this endpoint' "Test-PostureSyncHealth -PostureStatus Compliant -Port $port -TimeoutSec 1 | Format-List Endpoint, Status, Findings"
    Invoke-Step 'What bringing sync back on this endpoint would run' 'Restart-PostureAgent -WhatIf -ErrorAction Continue'
}
finally {
    $listener.Stop()
    Remove-Item Env:POSTURESYNC_HOSTS_FILE, Env:POSTURESYNC_SYSTEM_ROOT -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

Invoke-Step 'One HTML page for a colleague: health, events and dACL checks' ('@(Get-ChildItem docs/examples/dart/*.zip | Test-PostureSyncHealth) + @(Get-ChildItem docs/examples/dart/*.zip | Get-DartSyncEvents) + ' +
    '@(Test-ComplianceDacl -Path docs/examples/dacl/*.txt -PsnAddress 192.0.2.11, 192.0.2.12, 192.0.2.13 -WarningAction SilentlyContinue) | ' +
    'Export-PostureSyncReport -Path out/demo-report.html -Title ''PostureSync demo: the sample bundles'' -PassThru | Format-Table Name, Length')

# A loopback HTTPS double of ISE: three PSNs on 127.0.0.x (one with two interfaces and IPv6 ::1), good and bad
# Compliant dACLs, nested, library, exception and monitor-mode rules. Its account is the double's own.
. 'tests/PostureSync.IseDouble/IseDouble.ps1'
$ise = Start-IseDouble
$iseCredential = New-IseDoubleCredential
try {
    Write-Host ''
    Write-Host "(ISE steps: an ISE double on $($ise.Server); `$iseCredential is its account.)" -ForegroundColor DarkGray
    Invoke-Step 'The ISE side: connect, the double''s certificate pinned' "Connect-IseServer $($ise.Server) -Credential `$iseCredential -CertificateThumbprint $($ise.Thumbprint)"
    Invoke-Step 'The PSNs ISE knows, every interface' 'Get-IsePsn'
    Invoke-Step 'Every dACL the rules give Compliant sessions, against every PSN address' 'Test-IseComplianceDacl'
    Invoke-Step 'What to fix' 'Test-IseComplianceDacl | Where-Object Verdict -ne Pass | Select-Object -First 3 | Format-List Rule, Profile, Dacl, PsnAddress, Verdict, Reason, Findings'
    Invoke-Step 'What ISE believes about one endpoint''s session' 'Get-IseSessionPosture 00-14-22-01-23-45'
}
finally { $ise.Dispose() }
