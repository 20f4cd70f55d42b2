<#
.SYNOPSIS
    The main job on the bundled samples: run by `./build.ps1 -Task Demo` in a child pwsh against the built module.
    Every sample under docs/examples is SYNTHETIC, made from the documented formats (see docs/examples/README.md).
#>
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force
$examples = $PSScriptRoot

function Show-Step([string] $Title) { Write-Host ''; Write-Host "=== $Title" -ForegroundColor Cyan }

Show-Step 'The posture profiles (Get-PostureSyncConfig)'
$configs = Get-ChildItem (Join-Path $examples 'profiles') -Recurse -Filter 'ISEPostureCFG.xml' | Get-PostureSyncConfig
$configs | Format-Table | Out-Host
$configs | Select-Object -First 1 | Format-List | Out-Host
