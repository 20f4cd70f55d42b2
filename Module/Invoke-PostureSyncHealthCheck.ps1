<#
.SYNOPSIS
    Runs Test-PostureSyncHealth unattended, appends one JSON line per run to a log, and exits with the verdict.

.DESCRIPTION
    Made for scheduled tasks, systemd timers and cron (see docs/scheduled-tasks.md). Takes the health check's own
    parameters, never prompts, and writes exactly one JSON line per run to -LogPath, also when the check fails.

    Exit codes: 0 Healthy, 1 Degraded (or Unknown: something needs a look), 2 Unhealthy, 3 the check itself failed.
    With several reports (several bundles), the worst one decides.

    Written for Windows PowerShell 5.1 as well as PowerShell 7.

.PARAMETER Path
    DART bundles or folders to check offline, as Test-PostureSyncHealth -Path. Without it, this endpoint is checked live.

.PARAMETER PostureStatus
    The posture status to judge the port check against, as Test-PostureSyncHealth -PostureStatus.

.PARAMETER DaclPath
    A dACL to check against the profile's probe targets, as Test-PostureSyncHealth -DaclPath.

.PARAMETER LogPath
    The JSON-lines log. Default: %ProgramData%\PostureSync\health.jsonl on Windows, /var/lib/posturesync/health.jsonl
    on Linux, /Library/Application Support/PostureSync/health.jsonl on macOS.

.EXAMPLE
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "C:\Program Files\WindowsPowerShell\Modules\PostureSync\0.1.0\Invoke-PostureSyncHealthCheck.ps1" -PostureStatus Compliant
#>
[CmdletBinding()]
param(
    [string[]] $Path,
    [ValidateSet('Unknown', 'Pending', 'Compliant', 'NonCompliant')]
    [string] $PostureStatus,
    [string] $DaclPath,
    [string] $LogPath
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'

function Get-DefaultLogPath {
    $onWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows
    if ($onWindows) { return (Join-Path $env:ProgramData 'PostureSync\health.jsonl') }
    if ($IsMacOS) { return '/Library/Application Support/PostureSync/health.jsonl' }
    return '/var/lib/posturesync/health.jsonl'
}

function Write-RunLine([hashtable] $Entry) {
    $folder = Split-Path -Parent $LogPath
    if ($folder -and -not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder -Force | Out-Null }
    $line = (New-Object psobject -Property $Entry | Select-Object Time, Computer, Status, ExitCode, Error, Reports | ConvertTo-Json -Compress -Depth 4)
    # No byte-order mark: every line must parse on its own.
    [System.IO.File]::AppendAllText($LogPath, $line + "`n", (New-Object System.Text.UTF8Encoding $false))
}

if (-not $LogPath) { $LogPath = Get-DefaultLogPath }
$started = [DateTime]::UtcNow.ToString('o')
$computer = [Environment]::MachineName

try {
    Import-Module (Join-Path $PSScriptRoot 'PostureSync.psd1')
    $check = @{}
    if ($Path) { $check['Path'] = $Path }
    if ($PostureStatus) { $check['PostureStatus'] = $PostureStatus }
    if ($DaclPath) { $check['DaclPath'] = $DaclPath }
    $reports = @(Test-PostureSyncHealth @check)
    if ($reports.Count -eq 0) { throw 'Test-PostureSyncHealth returned no report.' }

    $rank = @{ 'Healthy' = 0; 'Unknown' = 1; 'Degraded' = 1; 'Unhealthy' = 2 }
    $worst = $reports | Sort-Object { $rank[[string] $_.Status] } -Descending | Select-Object -First 1
    $exitCode = $rank[[string] $worst.Status]
    $summaries = @($reports | ForEach-Object {
            [ordered]@{
                Endpoint          = $_.Endpoint
                Source            = $_.Source
                Status            = $_.Status
                PostureStatus     = $_.PostureStatus
                StateSyncEnabled  = $_.StateSyncEnabled
                NeedsAgentRestart = $_.NeedsAgentRestart
                ChecksPassed      = $_.ChecksPassed
                ChecksFailed      = $_.ChecksFailed
                Findings          = @($_.Findings)
            }
        })
    Write-RunLine @{ Time = $started; Computer = $computer; Status = [string] $worst.Status; ExitCode = $exitCode; Error = $null; Reports = $summaries }
    exit $exitCode
}
catch {
    $message = $_.Exception.Message
    try { Write-RunLine @{ Time = $started; Computer = $computer; Status = 'Failed'; ExitCode = 3; Error = $message; Reports = @() } }
    catch { Write-Error "Could not write to '$LogPath': $($_.Exception.Message)" -ErrorAction Continue }
    Write-Error "The health check failed: $message" -ErrorAction Continue
    exit 3
}
