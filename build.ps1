#requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, packages, demonstrates and benchmarks PostureSync.
.DESCRIPTION
    Run with the pinned PowerShell: `dotnet tool restore`, then `dotnet pwsh ./build.ps1 -Task <name>`.
      Build    Release build, then out/PostureSync/ as a complete importable module (help compiled from docs/).
      Test     Build and Package, then every xunit project, then Pester in a child pwsh against the built module.
               Ends with one line "N passed, N failed"; exits non-zero when anything failed or nothing ran.
      Package  out/PostureSync.<version>.nupkg, installable from a local folder repository.
      Demo     Build, then the main job on the bundled samples in docs/examples/.
      Bench    Build, then every tests/Bench/*.Bench.ps1 in a child pwsh.
      Clean    Removes out/ and the bin/ and obj/ of every project.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'PostureSync'
$Manifest = Import-PowerShellDataFile (Join-Path $Root 'PostureSync.psd1')
$Version = $Manifest.ModuleVersion

Import-Module (Join-Path $Root 'tools/PostureSync.Build.psm1') -Force
Import-Module (Join-Path $Root 'tools/PostureSync.Help.psm1') -Force

# Every child (package step, tests, demo, benchmarks) runs from the repository root and finds the built module here.
$Child = @{ WorkingDirectory = $Root; Environment = @{ POSTURESYNC_MODULE = (Join-Path $ModuleOut 'PostureSync.psd1') }; ToHost = $true }

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $Root 'PostureSync.slnx') -c Release --nologo --verbosity minimal
    Remove-Directory $ModuleOut
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    $bin = Join-Path $Root 'src/PostureSync/bin/Release/netstandard2.0'
    Copy-Item -LiteralPath (Join-Path $Root 'PostureSync.psd1') -Destination $ModuleOut
    Copy-Item -LiteralPath (Join-Path $bin 'PostureSync.dll'), (Join-Path $bin 'PostureSync.Core.dll') -Destination $ModuleOut
    Get-ChildItem -LiteralPath (Join-Path $Root 'Module') | Copy-Item -Destination $ModuleOut -Recurse

    $helpDir = Join-Path $ModuleOut 'en-US'
    New-Item -ItemType Directory -Path $helpDir -Force | Out-Null
    $pages = foreach ($cmdlet in $Manifest.CmdletsToExport) {
        $page = Join-Path $Root "docs/$cmdlet.md"
        if (-not (Test-Path -LiteralPath $page)) { throw "$cmdlet is exported but has no help page: write docs/$cmdlet.md." }
        ConvertFrom-CmdletMarkdown $page
    }
    Write-MamlHelp @($pages) (Join-Path $helpDir 'PostureSync.dll-Help.xml')
    Write-Host "Built $ModuleOut (version $Version, help for $(@($pages).Count) cmdlets)."
}

function Invoke-Package {
    # PSResourceGet writes the .nupkg (nuspec, module files) exactly as Install-PSResource expects it.
    $repo = Join-Path $Out 'repo'
    Remove-Directory $repo
    New-Item -ItemType Directory -Path $repo | Out-Null
    Get-ChildItem -LiteralPath $Out -Filter 'PostureSync.*.nupkg' | Remove-Item -Force
    $script = Join-Path $Out 'package.ps1'
    @'
param($ModulePath, $Repo)
$ErrorActionPreference = 'Stop'
$name = 'PostureSyncBuild' + [guid]::NewGuid().ToString('N')
Register-PSResourceRepository -Name $name -Uri $Repo -Trusted
try { Publish-PSResource -Path $ModulePath -Repository $name -SkipDependenciesCheck }
finally { Unregister-PSResourceRepository -Name $name }
'@ | Set-Content -LiteralPath $script
    # A throwaway data folder keeps the temporary repository registration out of the user's own settings.
    $saved = $env:XDG_DATA_HOME, $env:LOCALAPPDATA
    $env:XDG_DATA_HOME = $env:LOCALAPPDATA = (New-Item -ItemType Directory -Force -Path (Join-Path $Out 'package-data')).FullName
    try { $code = Invoke-ChildPwsh -File $script -Arguments $ModuleOut, $repo @Child } finally { $env:XDG_DATA_HOME, $env:LOCALAPPDATA = $saved }
    if ($code -ne 0) { throw "Packaging failed with exit code $code." }
    $package = Get-ChildItem -LiteralPath $repo -Filter '*.nupkg' | Select-Object -First 1
    if (-not $package) { throw 'Publish-PSResource wrote no package.' }
    Copy-Item -LiteralPath $package.FullName -Destination $Out
    Write-Host "Packaged $(Join-Path $Out $package.Name)."
}
function Invoke-Test {
    Invoke-Build
    Invoke-Package
    $results = Join-Path $Out 'TestResults'
    Remove-Directory $results
    $xunit = @(foreach ($project in Get-ChildItem -LiteralPath (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj') {
        $directory = Join-Path $results $project.BaseName
        & dotnet test $project.FullName -c Release --nologo --logger 'trx' --results-directory $directory | Out-Host
        Get-XunitCounts $project.BaseName $directory $LASTEXITCODE
    })
    if (-not $xunit) { $xunit = @([pscustomobject]@{ Passed = 0; Failed = 1; Problems = @('no xunit project (tests/**/*.Tests.csproj) was found') }) }

    Invoke-Dotnet restore (Join-Path $Root 'tests/Pester/Pester.Restore.csproj') --nologo --verbosity quiet
    $pesterModule = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    $summary = Join-Path $results 'pester-summary.json'
    $pesterExit = Invoke-ChildPwsh -File (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') -Arguments '-PesterPath', $pesterModule, '-SummaryPath', $summary @Child
    $pester = Get-PesterCounts $summary $pesterExit

    $xunitPassed = ($xunit | Measure-Object Passed -Sum).Sum; $xunitFailed = ($xunit | Measure-Object Failed -Sum).Sum
    # ForEach-Object, not $xunit.Problems: strict mode calls member enumeration over empty arrays a missing property.
    foreach ($problem in @($xunit | ForEach-Object Problems) + @($pester.Problems)) { Write-Host "FAILED: $problem." }
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
    $passed = $xunitPassed + $pester.Passed
    $failed = $xunitFailed + $pester.Failed
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Package' { Invoke-Build; Invoke-Package }
    'Test' { Invoke-Test }
    'Demo' {
        Invoke-Build
        $code = Invoke-ChildPwsh -File (Join-Path $Root 'docs/examples/Invoke-Demo.ps1') @Child
        if ($code -ne 0) { throw "The demo failed with exit code $code." }
    }
    'Bench' {
        Invoke-Build
        $failures = 0
        foreach ($bench in Get-ChildItem -LiteralPath (Join-Path $Root 'tests/Bench') -Filter '*.Bench.ps1' | Sort-Object Name) {
            Write-Host "== $($bench.Name)"
            if ((Invoke-ChildPwsh -File $bench.FullName @Child) -ne 0) { $failures++; Write-Host "$($bench.Name) missed its target or failed." }
        }
        if ($failures) { exit 1 }
    }
    'Clean' {
        # Only what the build writes: out/ and the bin/ and obj/ beside each project file. Nothing else is searched,
        # so .git, tool and package caches, and any fixture folder that happens to be called bin stay.
        Remove-Directory $Out
        foreach ($project in Get-ChildItem -LiteralPath (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Recurse -Filter '*.csproj') {
            foreach ($output in 'bin', 'obj') { Remove-Directory (Join-Path $project.DirectoryName $output) }
        }
    }
}
