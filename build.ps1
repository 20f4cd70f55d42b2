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

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# The PowerShell that runs this script starts the children, so `dotnet pwsh` (the pinned tool, which runs as the dotnet
# host plus pwsh.dll) and an installed pwsh both work, on Windows, macOS and Linux alike.
function Get-PwshLaunch {
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'pwsh') { return , @($process) }
    , @($process, (Join-Path $PSHOME 'pwsh.dll'))
}

# A child pwsh, never this process: the module and Pester load there, so nothing built here is locked or cached here.
function Invoke-ChildPwsh {
    param([string] $File, [string[]] $Arguments = @())
    $launch = Get-PwshLaunch
    $hostArguments = @($launch | Select-Object -Skip 1)
    Push-Location -LiteralPath $Root
    try {
        $env:POSTURESYNC_MODULE = Join-Path $ModuleOut 'PostureSync.psd1'
        & $launch[0] @hostArguments -NoProfile -NonInteractive -File $File @Arguments | Out-Host
        return $LASTEXITCODE
    }
    finally { Pop-Location }
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed.' }
    return ($line -replace '^global-packages:\s*', '').Trim()
}

#region Help: platyPS-layout markdown -> MAML
function Get-MarkdownSections([string[]] $Lines, [string] $Prefix) {
    $sections = [ordered]@{}
    $name = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($Prefix) -and -not $line.StartsWith($Prefix + '#')) {
            $name = $line.Substring($Prefix.Length).Trim()
            $sections[$name] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $name) { $sections[$name].Add($line) }
    }
    $sections
}

function ConvertTo-Paragraphs([string[]] $Lines) {
    # Blank lines end a paragraph; so does the start of a list item, which keeps lists one item to a line as platyPS does.
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        $isBlank = $line.Trim() -eq ''
        if (($isBlank -or $line -match '^\s*([-*+]|\d+[.)])\s') -and $current.Count) {
            $paragraphs.Add(($current -join ' ').Trim()); $current.Clear()
        }
        if (-not $isBlank) { $current.Add($line.Trim()) }
    }
    if ($current.Count) { $paragraphs.Add(($current -join ' ').Trim()) }
    , $paragraphs
}

function Split-Fences([string[]] $Lines) {
    # The text before the first code fence, every fenced block, and the text after the first block (outside fences).
    $before = [System.Collections.Generic.List[string]]::new(); $after = [System.Collections.Generic.List[string]]::new()
    $blocks = [System.Collections.Generic.List[object]]::new(); $block = $null
    foreach ($line in $Lines) {
        if ($line -match '^```') {
            if ($null -eq $block) { $block = [System.Collections.Generic.List[string]]::new() }
            else { $blocks.Add($block.ToArray()); $block = $null }
            continue
        }
        if ($null -ne $block) { $block.Add($line) }
        elseif ($blocks.Count -eq 0) { $before.Add($line) }
        else { $after.Add($line) }
    }
    [pscustomobject]@{ Before = $before.ToArray(); Blocks = $blocks.ToArray(); After = $after.ToArray() }
}

function ConvertFrom-CmdletMarkdown([string] $Path) {
    $lines = Get-Content -LiteralPath $Path
    $title = ($lines | Where-Object { $_ -match '^# ' } | Select-Object -First 1)
    if (-not $title) { throw "$Path has no '# <cmdlet>' title." }
    $name = $title.Substring(2).Trim()
    $sections = Get-MarkdownSections $lines '## '
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.Contains($required)) { throw "$Path lacks the '## $required' section." }
    }
    $examples = foreach ($entry in (Get-MarkdownSections $sections['EXAMPLES'] '### ').GetEnumerator()) {
        $parts = Split-Fences $entry.Value
        if (-not $parts.Blocks) { throw "$Path, $($entry.Key): the example has no code block." }
        # Several code blocks make one code listing; text before the code leads the remarks, so none is lost. HTML
        # comments (the docs test's markers, tests/Pester/DocExamples.Tests.ps1) are for the page's source only.
        [pscustomobject]@{
            Title   = $entry.Key
            Code    = ($parts.Blocks | ForEach-Object { $_ -join "`n" }) -join "`n`n"
            Remarks = ConvertTo-Paragraphs (@($parts.Before | Where-Object { $_ -notmatch '^\s*<!--.*-->\s*$' }) + '' + @($parts.After))
        }
    }
    $parameters = foreach ($entry in (Get-MarkdownSections $sections['PARAMETERS'] '### ').GetEnumerator()) {
        if ($entry.Key -eq 'CommonParameters') { continue }
        $parts = Split-Fences $entry.Value
        if (-not $parts.Blocks) { throw "$Path, parameter $($entry.Key): no yaml block." }
        # One yaml block per distinct metadata (platyPS writes a second block when, say, -Path is mandatory in one
        # set and optional in another): the first describes the parameter, each one places it in its sets' syntax.
        $variants = foreach ($block in $parts.Blocks) {
            $meta = @{}
            foreach ($yaml in $block) {
                if ($yaml -match '^([^:]+):\s*(.*)$') { $meta[$Matches[1].Trim()] = $Matches[2].Trim() }
            }
            foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input') {
                if (-not $meta.ContainsKey($key)) { throw "$Path, parameter $($entry.Key): the yaml block lacks '$key'." }
            }
            [pscustomobject]@{
                Name        = $entry.Key.TrimStart('-')
                Description = ConvertTo-Paragraphs $parts.Before
                Type        = $meta['Type']
                Sets        = @($meta['Parameter Sets'] -split ',\s*' | Where-Object { $_ } | ForEach-Object { $_ -replace '\s*\(Default\)', '' })
                Aliases     = $meta['Aliases']
                Required    = $meta['Required']
                Position    = $meta['Position']
                Default     = $meta['Default value']
                Pipeline    = $meta['Accept pipeline input']
                Globbing    = $meta['Accept wildcard characters']
                Accepted    = @($meta['Accepted values'] -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
                Variants    = $null
            }
        }
        $variants = @($variants)
        $variants[0].Variants = $variants
        $variants[0]
    }
    $typed = {
        param($section)
        if (-not $sections.Contains($section)) { return }
        foreach ($entry in (Get-MarkdownSections $sections[$section] '### ').GetEnumerator()) {
            [pscustomobject]@{ Name = $entry.Key; Description = ConvertTo-Paragraphs $entry.Value }
        }
    }
    [pscustomobject]@{
        Name        = $name
        Synopsis    = (ConvertTo-Paragraphs $sections['SYNOPSIS']) -join ' '
        Description = ConvertTo-Paragraphs $sections['DESCRIPTION']
        Examples    = @($examples)
        Parameters  = @($parameters)
        Inputs      = @(& $typed 'INPUTS')
        Outputs     = @(& $typed 'OUTPUTS')
        Notes       = if ($sections.Contains('NOTES')) { ConvertTo-Paragraphs $sections['NOTES'] } else { @() }
        Links       = if ($sections.Contains('RELATED LINKS')) {
            @($sections['RELATED LINKS'] | Where-Object { $_ -match '^\[(.+?)\]\((.*?)\)' } | ForEach-Object { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } })
        } else { @() }
    }
}

function Write-MamlParas([System.Xml.XmlWriter] $Writer, $Paragraphs) {
    $Writer.WriteStartElement('maml', 'description', $script:MamlNs)
    foreach ($p in @($Paragraphs)) { $Writer.WriteElementString('maml', 'para', $script:MamlNs, $p) }
    $Writer.WriteEndElement()
}

# As platyPS writes it: in the syntax, no description, the accepted values as a value group (so Get-Help shows
# -Name {A | B}) and no value for a switch; in the parameter list, the description and the value type always.
function Write-MamlParameter([System.Xml.XmlWriter] $Writer, $Parameter, [bool] $InSyntax) {
    $w = $Writer
    $isSwitch = $Parameter.Type -eq 'SwitchParameter'
    $w.WriteStartElement('command', 'parameter', $script:CommandNs)
    $w.WriteAttributeString('required', $Parameter.Required.ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ($Parameter.Type -like '*`[`]').ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', ("$($Parameter.Globbing)" -eq 'True').ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $Parameter.Pipeline)
    $w.WriteAttributeString('position', $Parameter.Position.ToLowerInvariant())
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases } else { 'none' }))
    $w.WriteElementString('maml', 'name', $script:MamlNs, $Parameter.Name)
    Write-MamlParas $w $(if ($InSyntax) { @() } else { $Parameter.Description })
    if ($InSyntax -and $Parameter.Accepted) {
        $w.WriteStartElement('command', 'parameterValueGroup', $script:CommandNs)
        foreach ($value in $Parameter.Accepted) {
            $w.WriteStartElement('command', 'parameterValue', $script:CommandNs)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($value); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not ($InSyntax -and $isSwitch)) {
        $w.WriteStartElement('command', 'parameterValue', $script:CommandNs)
        $w.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant()); $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($Parameter.Type); $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $script:DevNs); $w.WriteElementString('maml', 'name', $script:MamlNs, $Parameter.Type); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $script:DevNs, $(if ($Parameter.Default) { $Parameter.Default } else { 'None' }))
    $w.WriteEndElement()
}

function Write-MamlHelp([object[]] $Commands, [string] $Path) {
    $script:MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
    $script:CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $script:DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
        foreach ($c in $Commands) {
            $w.WriteStartElement('command', 'command', $script:CommandNs)
            $w.WriteAttributeString('xmlns', 'maml', $null, $script:MamlNs)
            $w.WriteAttributeString('xmlns', 'dev', $null, $script:DevNs)
            $verb, $noun = $c.Name -split '-', 2
            $w.WriteStartElement('command', 'details', $script:CommandNs)
            $w.WriteElementString('command', 'name', $script:CommandNs, $c.Name)
            $w.WriteElementString('command', 'verb', $script:CommandNs, $verb)
            $w.WriteElementString('command', 'noun', $script:CommandNs, $noun)
            Write-MamlParas $w @($c.Synopsis)
            $w.WriteEndElement()
            Write-MamlParas $w $c.Description

            # One syntax item per named set, in order of first mention (as platyPS); (All) alone means one set.
            $sets = @($c.Parameters.Variants.Sets | Where-Object { $_ -ne '(All)' } | Select-Object -Unique)
            if (-not $sets) { $sets = @('(All)') }
            $w.WriteStartElement('command', 'syntax', $script:CommandNs)
            foreach ($set in $sets) {
                $w.WriteStartElement('command', 'syntaxItem', $script:CommandNs)
                $w.WriteElementString('maml', 'name', $script:MamlNs, $c.Name)
                foreach ($p in $c.Parameters) {
                    $variant = $p.Variants | Where-Object { $_.Sets -contains $set -or $_.Sets -contains '(All)' } | Select-Object -First 1
                    if ($variant) { Write-MamlParameter $w $variant $true }
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'parameters', $script:CommandNs)
            foreach ($p in $c.Parameters) { Write-MamlParameter $w $p $false }
            $w.WriteEndElement()

            foreach ($kind in @(@('inputTypes', 'inputType', $c.Inputs), @('returnValues', 'returnValue', $c.Outputs))) {
                $w.WriteStartElement('command', $kind[0], $script:CommandNs)
                foreach ($t in $kind[2]) {
                    $w.WriteStartElement('command', $kind[1], $script:CommandNs)
                    $w.WriteStartElement('dev', 'type', $script:DevNs); $w.WriteElementString('maml', 'name', $script:MamlNs, $t.Name); $w.WriteEndElement()
                    Write-MamlParas $w $t.Description
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            $w.WriteStartElement('maml', 'alertSet', $script:MamlNs); $w.WriteStartElement('maml', 'alert', $script:MamlNs)
            foreach ($p in $c.Notes) { $w.WriteElementString('maml', 'para', $script:MamlNs, $p) }
            $w.WriteEndElement(); $w.WriteEndElement()

            $w.WriteStartElement('command', 'examples', $script:CommandNs)
            foreach ($e in $c.Examples) {
                $w.WriteStartElement('command', 'example', $script:CommandNs)
                $w.WriteElementString('maml', 'title', $script:MamlNs, "-------------------------- $($e.Title) --------------------------")
                $w.WriteElementString('dev', 'code', $script:DevNs, $e.Code)
                $w.WriteStartElement('dev', 'remarks', $script:DevNs)
                foreach ($p in $e.Remarks) { $w.WriteElementString('maml', 'para', $script:MamlNs, $p) }
                $w.WriteEndElement(); $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'relatedLinks', $script:CommandNs)
            foreach ($l in $c.Links) {
                $w.WriteStartElement('maml', 'navigationLink', $script:MamlNs)
                $w.WriteElementString('maml', 'linkText', $script:MamlNs, $l.Text)
                $w.WriteElementString('maml', 'uri', $script:MamlNs, $l.Uri)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    finally { $w.Dispose() }
}
#endregion

function Remove-Directory([string] $Path) {
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Recurse -Force }
}

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
    try { $code = Invoke-ChildPwsh $script @($ModuleOut, $repo) } finally { $env:XDG_DATA_HOME, $env:LOCALAPPDATA = $saved }
    if ($code -ne 0) { throw "Packaging failed with exit code $code." }
    $package = Get-ChildItem -LiteralPath $repo -Filter '*.nupkg' | Select-Object -First 1
    if (-not $package) { throw 'Publish-PSResource wrote no package.' }
    Copy-Item -LiteralPath $package.FullName -Destination $Out
    Write-Host "Packaged $(Join-Path $Out $package.Name)."
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
    $pesterExit = Invoke-ChildPwsh (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') @('-PesterPath', $pesterModule, '-SummaryPath', $summary)
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
        $code = Invoke-ChildPwsh (Join-Path $Root 'docs/examples/Invoke-Demo.ps1')
        if ($code -ne 0) { throw "The demo failed with exit code $code." }
    }
    'Bench' {
        Invoke-Build
        $failures = 0
        foreach ($bench in Get-ChildItem -LiteralPath (Join-Path $Root 'tests/Bench') -Filter '*.Bench.ps1' | Sort-Object Name) {
            Write-Host "== $($bench.Name)"
            if ((Invoke-ChildPwsh $bench.FullName) -ne 0) { $failures++; Write-Host "$($bench.Name) missed its target or failed." }
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
