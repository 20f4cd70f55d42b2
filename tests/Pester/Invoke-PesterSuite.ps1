<#
.SYNOPSIS
    Runs every Pester suite in this folder against the built module and writes the counts for build.ps1.
    Runs in a child pwsh (build.ps1 starts it), never in the process that built the module.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
if (-not $env:POSTURESYNC_MODULE -or -not (Test-Path $env:POSTURESYNC_MODULE)) { throw 'POSTURESYNC_MODULE must name the built module manifest.' }
Import-Module $PesterPath -RequiredVersion 5.7.1 -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputPath = [System.IO.Path]::ChangeExtension($SummaryPath, '.xml')
$result = Invoke-Pester -Configuration $configuration

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
exit ([int]($failed -gt 0))
