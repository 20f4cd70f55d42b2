# .ExternalHelp Invoke-PostureSyncHealthCheck.ps1-help.xml

# The help is external (en-US\) so that Get-Help shows only the parameters below, not the catch-all that turns a
# wrong argument into a logged run with exit code 3 instead of a binding error that exits before any line is written.
[CmdletBinding(PositionalBinding = $false)]
param(
    [string[]] $Path,
    # Checked inside the run, not by a ValidateSet or a typed parameter: a binding failure would exit before any
    # JSON line is written, and with 1, which a task reads as Degraded.
    [string] $PostureStatus,
    [string] $DaclPath,
    [string] $Port,
    [string] $TimeoutSec,
    [string] $LogPath,
    [string] $ReportPath,
    # Words after -Path's first value (the shell's expansion of dart/*.zip) and anything else given land here.
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $RemainingArgument
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
    $line = (New-Object psobject -Property $Entry | Select-Object Time, Computer, Status, ExitCode, Error, Unreadable, Reports | ConvertTo-Json -Compress -Depth 4)
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

# -Path takes 'a.zip,b.zip' (one argument from a task's command line), a.zip b.zip and a shell-expanded dart/*.zip.
# A value that names an existing item is kept whole, since a file name may hold a comma.
function Get-BundlePath([string[]] $Given, [string[]] $Rest) {
    $paths = New-Object System.Collections.Generic.List[string]
    foreach ($value in @($Given | Where-Object { $_ })) {
        if (Test-Path -LiteralPath $value) { $paths.Add($value); continue }
        foreach ($part in ($value -split ',')) { if ($part.Trim()) { $paths.Add($part.Trim()) } }
    }
    foreach ($word in @($Rest | Where-Object { $_ })) {
        $isPath = (-not $word.StartsWith('-')) -and (Test-Path -Path $word)
        if ($Given -and $isPath) { $paths.Add($word); continue }
        if ($word.StartsWith('-')) { throw "'$word' is not a parameter of this script. It takes -Path, -PostureStatus, -DaclPath, -Port, -TimeoutSec and -LogPath." }
        if ($Given) { throw "'$word' follows -Path but no file or folder has that name; check the path, or the parameter name before it." }
        throw "'$word' is not a value of any parameter (this script takes none by position); put it after -Path if it is a bundle."
    }
    , $paths.ToArray()
}

function Get-Number([string] $Name, [string] $Text, [double] $Minimum, [double] $Maximum) {
    $number = 0.0
    $ok = [double]::TryParse($Text, [System.Globalization.NumberStyles]::Float, [System.Globalization.CultureInfo]::InvariantCulture, [ref] $number)
    if (-not $ok -or $number -lt $Minimum -or $number -gt $Maximum) { throw "-$Name '$Text' is not a number from $Minimum to $Maximum." }
    $number
}

if (-not $LogPath) { $LogPath = Get-DefaultLogPath }
$started = [DateTime]::UtcNow.ToString('o')
$computer = [Environment]::MachineName

$reports = @()
$unreadable = @()
$entry = $null
$pageTried = $false
try {
    $bundles = Get-BundlePath $Path $RemainingArgument
    $statuses = 'Unknown', 'Pending', 'Compliant', 'NonCompliant'
    if ($PostureStatus -and $statuses -notcontains $PostureStatus) { throw "-PostureStatus '$PostureStatus' is not one of $($statuses -join ', ')." }
    $check = @{}
    if ($bundles.Count -gt 0) { $check['Path'] = $bundles }
    if ($PostureStatus) { $check['PostureStatus'] = $PostureStatus }
    if ($DaclPath) { $check['DaclPath'] = $DaclPath }
    if ($Port) { $check['Port'] = [int] (Get-Number 'Port' $Port 1 65535) }
    if ($TimeoutSec) { $check['TimeoutSec'] = Get-Number 'TimeoutSec' $TimeoutSec 0.01 3600 }

    Import-Module (Join-Path $PSScriptRoot 'PostureSync.psd1')
    # One unreadable bundle must not hide the verdicts of the others: its error is listed, the run goes on.
    $checkErrors = @()
    $reports = @(Test-PostureSyncHealth @check -ErrorAction SilentlyContinue -ErrorVariable checkErrors)
    $unreadable = @(foreach ($problem in $checkErrors) {
        [ordered]@{ Path = [string] $problem.TargetObject; ErrorId = $problem.FullyQualifiedErrorId.Split(',')[0]; Message = $problem.Exception.Message }
    })
    if ($reports.Count -eq 0) {
        $why = if ($unreadable.Count -gt 0) { ($unreadable | ForEach-Object { "$($_.ErrorId): $($_.Message)" }) -join ' | ' } else { 'Test-PostureSyncHealth returned no report.' }
        throw "Nothing could be checked. $why"
    }
    $worst = $reports | Sort-Object StatusOrder | Select-Object -First 1
    $exitCodes = @{ 'Healthy' = 0; 'Unknown' = 1; 'Degraded' = 1; 'Unhealthy' = 2 }
    $exitCode = $exitCodes[[string] $worst.Status]
    $entry = @{ Time = $started; Computer = $computer; Status = [string] $worst.Status; ExitCode = $exitCode; Error = $null; Unreadable = $unreadable; Reports = @(Get-Summary $reports) }
    $pageTried = $true
    if ($ReportPath) { Write-ReportPage $reports }
}
catch {
    $message = $_.Exception.Message
    if ($ReportPath -and -not $pageTried -and $reports.Count -gt 0) {
        try { Write-ReportPage $reports } catch { $message += " | The report page could not be written: $($_.Exception.Message)" }
    }
    $exitCode = 3
    $entry = @{ Time = $started; Computer = $computer; Status = 'Failed'; ExitCode = 3; Error = $message; Unreadable = $unreadable; Reports = @(Get-Summary $reports) }
    Write-Error "The health check failed: $message" -ErrorAction Continue
}

# The verdict stands whether or not its line can be written; a log that cannot be written is said once.
try { Write-RunLine $entry }
catch { Write-Error "The run's result ($($entry.Status), exit code $exitCode) could not be written to the log '$LogPath': $($_.Exception.Message)" -ErrorAction Continue }
exit $exitCode
