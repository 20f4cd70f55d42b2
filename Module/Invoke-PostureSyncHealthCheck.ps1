<#
.SYNOPSIS
    Runs Test-PostureSyncHealth unattended, appends one JSON line per run to a log, and exits with the verdict.

.DESCRIPTION
    Made for scheduled tasks, systemd timers and cron (see docs/scheduled-tasks.md). Takes the health check's own
    parameters, never prompts, and writes exactly one JSON line per run to -LogPath, also when the check fails.

    Exit codes: 0 Healthy, 1 Degraded (or Unknown: something needs a look), 2 Unhealthy, 3 the check itself failed.
    With several reports (several bundles), the worst one decides. Any error (a bad argument, a bundle that cannot be
    read, the module not loading) makes the run exit 3; its JSON line then carries the errors and whatever reports
    did come.

    Written for Windows PowerShell 5.1 as well as PowerShell 7.

.PARAMETER Path
    DART bundles or folders to check offline, as Test-PostureSyncHealth -Path. Without it, this endpoint is checked live.

.PARAMETER PostureStatus
    The posture status to judge the port check against, as Test-PostureSyncHealth -PostureStatus.

.PARAMETER DaclPath
    A dACL to check against the profile's probe targets, as Test-PostureSyncHealth -DaclPath.

.PARAMETER ReportPath
    Also write the run's reports as one HTML page (Export-PostureSyncReport), replaced whole at each run. A relative
    path is taken from the folder of -LogPath, so -ReportPath health.html writes the page beside the JSON lines. When
    the check fails, the page still shows whatever reports did come; a page that cannot be written fails the run (3).

.PARAMETER LogPath
    The JSON-lines log; a relative path is taken from the current location, and missing folders are created. Default: %ProgramData%\PostureSync\health.jsonl on Windows, /var/lib/posturesync/health.jsonl
    on Linux, /Library/Application Support/PostureSync/health.jsonl on macOS.

.EXAMPLE
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "C:\Program Files\WindowsPowerShell\Modules\PostureSync\0.1.0\Invoke-PostureSyncHealthCheck.ps1" -PostureStatus Compliant
#>
[CmdletBinding()]
param(
    [string[]] $Path,
    # Checked inside the run, not by a ValidateSet: a binding failure would exit before any JSON line is written.
    [string] $PostureStatus,
    [string] $DaclPath,
    [string] $LogPath,
    [string] $ReportPath,
    # Anything else given is collected here and fails the run with exit code 3, again so that a line is written.
    [Parameter(ValueFromRemainingArguments = $true)]
    [object[]] $UnexpectedArgument
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
    # .NET resolves relative paths against the process's directory, not PowerShell's location: resolve here.
    $file = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogPath)
    $folder = Split-Path -Parent $file
    if ($folder -and -not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder -Force | Out-Null }
    $line = (New-Object psobject -Property $Entry | Select-Object Time, Computer, Status, ExitCode, Error, Reports | ConvertTo-Json -Compress -Depth 4)
    # No byte-order mark: every line must parse on its own.
    [System.IO.File]::AppendAllText($file, $line + "`n", (New-Object System.Text.UTF8Encoding $false))
}

# The page goes beside the JSON lines unless given a full path; written through a temporary file, so a colleague who
# opens it while the task runs never sees half a page.
function Write-ReportPage([object[]] $Report) {
    $logFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogPath)
    $page = if ([System.IO.Path]::IsPathRooted($ReportPath)) { $ReportPath } else { Join-Path (Split-Path -Parent $logFile) $ReportPath }
    $folder = Split-Path -Parent $page
    if ($folder -and -not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder -Force | Out-Null }
    $Report | Export-PostureSyncReport -Path $page -Title "PostureSync health: $computer" -ErrorAction Stop
}

function Get-Summary([object[]] $Report) {
    foreach ($one in $Report) {
        [ordered]@{
            Endpoint          = $one.Endpoint
            Source            = $one.Source
            Status            = $one.Status
            PostureStatus     = $one.PostureStatus
            StateSyncEnabled  = $one.StateSyncEnabled
            NeedsAgentRestart = $one.NeedsAgentRestart
            ChecksPassed      = $one.ChecksPassed
            ChecksFailed      = $one.ChecksFailed
            Findings          = @($one.Findings)
        }
    }
}

if (-not $LogPath) { $LogPath = Get-DefaultLogPath }
$started = [DateTime]::UtcNow.ToString('o')
$computer = [Environment]::MachineName

$reports = @()
$pageTried = $false
try {
    if ($UnexpectedArgument) { throw "Unexpected arguments: $($UnexpectedArgument -join ' '). Use -Path, -PostureStatus, -DaclPath, -LogPath and -ReportPath." }
    $statuses = 'Unknown', 'Pending', 'Compliant', 'NonCompliant'
    if ($PostureStatus -and $statuses -notcontains $PostureStatus) { throw "-PostureStatus '$PostureStatus' is not one of $($statuses -join ', ')." }

    Import-Module (Join-Path $PSScriptRoot 'PostureSync.psd1')
    $check = @{}
    if ($Path) { $check['Path'] = $Path }
    if ($PostureStatus) { $check['PostureStatus'] = $PostureStatus }
    if ($DaclPath) { $check['DaclPath'] = $DaclPath }
    # One bad bundle must not hide the reports of the others: collect its error, keep the reports, fail the run.
    $checkErrors = @()
    $reports = @(Test-PostureSyncHealth @check -ErrorAction SilentlyContinue -ErrorVariable checkErrors)
    if ($checkErrors.Count -gt 0) { throw (($checkErrors | ForEach-Object { "$($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message)" }) -join ' | ') }
    if ($reports.Count -eq 0) { throw 'Test-PostureSyncHealth returned no report.' }

    $rank = @{ 'Healthy' = 0; 'Unknown' = 1; 'Degraded' = 1; 'Unhealthy' = 2 }
    $worst = $reports | Sort-Object { $rank[[string] $_.Status] } -Descending | Select-Object -First 1
    $exitCode = $rank[[string] $worst.Status]
    $summaries = @(Get-Summary $reports)
    $pageTried = $true
    if ($ReportPath) { Write-ReportPage $reports }
    Write-RunLine @{ Time = $started; Computer = $computer; Status = [string] $worst.Status; ExitCode = $exitCode; Error = $null; Reports = $summaries }
    exit $exitCode
}
catch {
    $message = $_.Exception.Message
    if ($ReportPath -and -not $pageTried -and $reports.Count -gt 0) {
        try { Write-ReportPage $reports } catch { $message += " | The report page could not be written: $($_.Exception.Message)" }
    }
    try { Write-RunLine @{ Time = $started; Computer = $computer; Status = 'Failed'; ExitCode = 3; Error = $message; Reports = @(Get-Summary $reports) } }
    catch { Write-Error "Could not write to '$LogPath': $($_.Exception.Message)" -ErrorAction Continue }
    Write-Error "The health check failed: $message" -ErrorAction Continue
    exit 3
}
