# The build's helpers: running dotnet and child pwsh processes, and reading test results. build.ps1 imports it; so do
# the Pester suites (through tests/Pester/Support/ChildPwsh.ps1) and tests/Pester/Module.Tests.ps1, which tests the counts.
Set-StrictMode -Version Latest

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# The PowerShell that runs this script starts the children, so `dotnet pwsh` (the pinned tool, which runs as the dotnet
# host plus pwsh.dll) and an installed pwsh both work, on Windows, macOS and Linux alike.

# The PowerShell that runs the caller starts the children, so `dotnet pwsh` (the pinned tool, which runs as the dotnet
# host plus pwsh.dll) and an installed pwsh both work, on Windows, macOS and Linux alike.
function Get-PwshLaunch {
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -in 'pwsh', 'powershell') { return , @($process) }
    , @($process, (Join-Path $PSHOME 'pwsh.dll'))
}

<#
.SYNOPSIS
    Runs a script file or a command in a new pwsh, never in this process: what loads there (the built module, Pester)
    is not locked or cached here.
.DESCRIPTION
    -Environment sets variables for the child only. With -ToHost the child's output goes to the host and the exit code is
    returned (the build's tasks); without it, an object with ExitCode and Output (each line as a string) is returned.
#>
function Invoke-ChildPwsh {
    [CmdletBinding(DefaultParameterSetName = 'Command')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Command')] [string] $Command,
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $File,
        [Parameter(ParameterSetName = 'File')] [string[]] $Arguments = @(),
        [Parameter(Position = 1)] [hashtable] $Environment = @{},
        [string] $WorkingDirectory,
        [switch] $ToHost
    )
    $launch = Get-PwshLaunch
    $exe = $launch[0]; $rest = @($launch | Select-Object -Skip 1)
    $childArguments = if ($PSCmdlet.ParameterSetName -eq 'File') { @('-File', $File) + $Arguments }
    else { @('-EncodedCommand', [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Command))) }
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    if ($WorkingDirectory) { Push-Location -LiteralPath $WorkingDirectory }
    try {
        if ($ToHost) {
            & $exe @rest -NoProfile -NonInteractive @childArguments | Out-Host
            return $LASTEXITCODE
        }
        $output = & $exe @rest -NoProfile -NonInteractive @childArguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }
    finally {
        if ($WorkingDirectory) { Pop-Location }
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed.' }
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Remove-Directory([string] $Path) {
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Recurse -Force }
}


# Counts of one xunit project's run. A project that failed to build, crashed, or ran no test writes no result file or
# an empty one: that is a failure, never "0 failed".
function Get-XunitCounts([string] $Project, [string] $Directory, [int] $ExitCode) {
    $passed = 0; $failed = 0; $problems = [System.Collections.Generic.List[string]]::new()
    $files = @(Get-ChildItem -LiteralPath $Directory -Filter '*.trx' -ErrorAction SilentlyContinue)
    foreach ($trx in $files) {
        [xml] $doc = Get-Content -LiteralPath $trx.FullName -Raw
        $counters = $doc.TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    }
    if (-not $files) { $problems.Add("$Project wrote no test results (it did not build, or the run crashed)") }
    elseif ($passed + $failed -eq 0) { $problems.Add("$Project ran no test") }
    if ($ExitCode -ne 0 -and $failed -eq 0 -and -not $problems.Count) { $problems.Add("dotnet test $Project exited with $ExitCode although no test failed") }
    [pscustomobject]@{ Passed = $passed; Failed = $failed + $problems.Count; Problems = $problems.ToArray() }
}

# Counts of the Pester run from the summary Invoke-PesterSuite.ps1 writes last: no summary means Pester never got
# that far, whatever its exit code says.
function Get-PesterCounts([string] $SummaryPath, [int] $ExitCode) {
    $problems = [System.Collections.Generic.List[string]]::new()
    $passed = 0; $failed = 0
    if (-not (Test-Path -LiteralPath $SummaryPath)) { $problems.Add("Pester wrote no summary (exit code $ExitCode): it failed before its tests finished") }
    else {
        $counts = Get-Content -LiteralPath $SummaryPath -Raw | ConvertFrom-Json
        $passed = [int] $counts.Passed; $failed = [int] $counts.Failed
        if ($passed + $failed -eq 0) { $problems.Add('Pester ran no test') }
        elseif ($ExitCode -ne 0 -and $failed -eq 0) { $problems.Add("Pester exited with $ExitCode although no test failed") }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed + $problems.Count; Problems = $problems.ToArray() }
}

Export-ModuleMember -Function Invoke-Dotnet, Invoke-ChildPwsh, Get-NuGetPackageRoot, Remove-Directory, Get-XunitCounts, Get-PesterCounts
