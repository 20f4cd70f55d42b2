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
      Clean    Removes out/ and every bin/ and obj/.
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

# A child pwsh, never this process: the module and Pester load there, so nothing built here is locked or cached here.
function Invoke-ChildPwsh {
    param([string] $File, [string[]] $Arguments = @())
    Push-Location $Root
    try {
        $env:POSTURESYNC_MODULE = Join-Path $ModuleOut 'PostureSync.psd1'
        & dotnet pwsh -NoProfile -NonInteractive -File $File @Arguments | Out-Host
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
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        if ($line.Trim() -eq '') {
            if ($current.Count) { $paragraphs.Add(($current -join ' ').Trim()); $current.Clear() }
        }
        else { $current.Add($line.Trim()) }
    }
    if ($current.Count) { $paragraphs.Add(($current -join ' ').Trim()) }
    , $paragraphs
}

function Split-Fence([string[]] $Lines) {
    # Returns the text before the first code fence, the fenced code, and the text after it.
    $before = [System.Collections.Generic.List[string]]::new(); $code = [System.Collections.Generic.List[string]]::new()
    $after = [System.Collections.Generic.List[string]]::new(); $state = 0
    foreach ($line in $Lines) {
        if ($line -match '^```') { if ($state -lt 2) { $state++ }; continue }
        switch ($state) { 0 { $before.Add($line) } 1 { $code.Add($line) } default { $after.Add($line) } }
    }
    [pscustomobject]@{ Before = $before.ToArray(); Code = $code.ToArray(); After = $after.ToArray() }
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
        $parts = Split-Fence $entry.Value
        [pscustomobject]@{ Title = $entry.Key; Code = ($parts.Code -join "`n"); Remarks = ConvertTo-Paragraphs $parts.After }
    }
    $parameters = foreach ($entry in (Get-MarkdownSections $sections['PARAMETERS'] '### ').GetEnumerator()) {
        if ($entry.Key -eq 'CommonParameters') { continue }
        $parts = Split-Fence $entry.Value
        $meta = @{}
        foreach ($yaml in $parts.Code) {
            if ($yaml -match '^([^:]+):\s*(.*)$') { $meta[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input') {
            if (-not $meta.ContainsKey($key)) { throw "$Path, parameter $($entry.Key): the yaml block lacks '$key'." }
        }
        [pscustomobject]@{
            Name        = $entry.Key.TrimStart('-')
            Description = ConvertTo-Paragraphs $parts.Before
            Type        = $meta['Type']
            Sets        = @($meta['Parameter Sets'] -split ',\s*' | Where-Object { $_ })
            Aliases     = $meta['Aliases']
            Required    = $meta['Required']
            Position    = $meta['Position']
            Default     = $meta['Default value']
            Pipeline    = $meta['Accept pipeline input']
            Globbing    = $meta['Accept wildcard characters']
        }
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

function Write-MamlParameter([System.Xml.XmlWriter] $Writer, $Parameter, [bool] $WithDescription) {
    $w = $Writer
    $w.WriteStartElement('command', 'parameter', $script:CommandNs)
    $w.WriteAttributeString('required', $Parameter.Required.ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ($Parameter.Type -like '*`[`]').ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', ("$($Parameter.Globbing)" -eq 'True').ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $Parameter.Pipeline)
    $w.WriteAttributeString('position', $(if ($Parameter.Position -eq 'Named') { 'named' } else { $Parameter.Position }))
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases } else { 'none' }))
    $w.WriteElementString('maml', 'name', $script:MamlNs, $Parameter.Name)
    Write-MamlParas $w $(if ($WithDescription) { $Parameter.Description } else { @() })
    if ($Parameter.Type -ne 'SwitchParameter') {
        $w.WriteStartElement('command', 'parameterValue', $script:CommandNs)
        $w.WriteAttributeString('required', 'true'); $w.WriteAttributeString('variableLength', 'false')
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

            $sets = @($c.Parameters.Sets | Where-Object { $_ -ne '(All)' } | ForEach-Object { $_ -replace '\s*\(Default\)', '' } | Select-Object -Unique)
            if (-not $sets) { $sets = @('(All)') }
            $w.WriteStartElement('command', 'syntax', $script:CommandNs)
            foreach ($set in $sets) {
                $w.WriteStartElement('command', 'syntaxItem', $script:CommandNs)
                $w.WriteElementString('maml', 'name', $script:MamlNs, $c.Name)
                foreach ($p in $c.Parameters) {
                    $inSet = ($p.Sets -contains '(All)') -or (@($p.Sets | ForEach-Object { $_ -replace '\s*\(Default\)', '' }) -contains $set)
                    if ($inSet) { Write-MamlParameter $w $p $false }
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'parameters', $script:CommandNs)
            foreach ($p in $c.Parameters) { Write-MamlParameter $w $p $true }
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

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $Root 'PostureSync.slnx') -c Release --nologo --verbosity minimal
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    $bin = Join-Path $Root 'src/PostureSync/bin/Release/netstandard2.0'
    Copy-Item (Join-Path $Root 'PostureSync.psd1') $ModuleOut
    Copy-Item (Join-Path $bin 'PostureSync.dll'), (Join-Path $bin 'PostureSync.Core.dll') $ModuleOut
    Copy-Item (Join-Path $Root 'Module/*') $ModuleOut -Recurse

    $helpDir = Join-Path $ModuleOut 'en-US'
    New-Item -ItemType Directory -Path $helpDir -Force | Out-Null
    $pages = foreach ($cmdlet in $Manifest.CmdletsToExport) {
        $page = Join-Path $Root "docs/$cmdlet.md"
        if (Test-Path $page) { ConvertFrom-CmdletMarkdown $page }
    }
    Write-MamlHelp @($pages) (Join-Path $helpDir 'PostureSync.dll-Help.xml')
    Write-Host "Built $ModuleOut (version $Version, help for $(@($pages).Count) cmdlets)."
}

function Invoke-Package {
    # PSResourceGet writes the .nupkg (nuspec, module files) exactly as Install-PSResource expects it.
    $repo = Join-Path $Out 'repo'
    if (Test-Path $repo) { Remove-Item $repo -Recurse -Force }
    New-Item -ItemType Directory -Path $repo | Out-Null
    Get-ChildItem $Out -Filter 'PostureSync.*.nupkg' | Remove-Item -Force
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
    $package = Get-ChildItem $repo -Filter '*.nupkg' | Select-Object -First 1
    if (-not $package) { throw 'Publish-PSResource wrote no package.' }
    Copy-Item $package.FullName $Out
    Write-Host "Packaged $(Join-Path $Out $package.Name)."
}

function Get-TrxCounts([string] $Directory) {
    $passed = 0; $failed = 0
    foreach ($trx in Get-ChildItem $Directory -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml] $doc = Get-Content -LiteralPath $trx.FullName -Raw
        $counters = $doc.TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    }
    @($passed, $failed)
}

function Invoke-Test {
    Invoke-Build
    Invoke-Package
    $results = Join-Path $Out 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $failedRuns = 0
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj') {
        & dotnet test $project.FullName -c Release --nologo --logger "trx" --results-directory $results
        if ($LASTEXITCODE -ne 0) { $failedRuns++ }
    }
    $xunitPassed, $xunitFailed = Get-TrxCounts $results

    Invoke-Dotnet restore (Join-Path $Root 'tests/Pester/Pester.Restore.csproj') --nologo --verbosity quiet
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    $summary = Join-Path $results 'pester-summary.json'
    $pesterExit = Invoke-ChildPwsh (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') @('-PesterPath', $pester, '-SummaryPath', $summary)
    $pesterPassed = 0; $pesterFailed = 0
    if (Test-Path $summary) {
        $counts = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
        $pesterPassed = $counts.Passed; $pesterFailed = $counts.Failed
    }
    elseif ($pesterExit -ne 0) { $pesterFailed = 1 }

    $passed = $xunitPassed + $pesterPassed
    $failed = $xunitFailed + $pesterFailed
    if ($failedRuns -gt 0 -and $xunitFailed -eq 0) { $failed += $failedRuns }  # a test run that crashed counts as a failure
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed; Pester: $pesterPassed passed, $pesterFailed failed"
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
        foreach ($bench in Get-ChildItem (Join-Path $Root 'tests/Bench') -Filter '*.Bench.ps1' | Sort-Object Name) {
            Write-Host "== $($bench.Name)"
            if ((Invoke-ChildPwsh $bench.FullName) -ne 0) { $failures++; Write-Host "$($bench.Name) missed its target or failed." }
        }
        if ($failures) { exit 1 }
    }
    'Clean' {
        if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
        Get-ChildItem $Root -Recurse -Directory -Include 'bin', 'obj' | Where-Object { $_.FullName -notlike "*$([IO.Path]::DirectorySeparatorChar).git*" } | Remove-Item -Recurse -Force
    }
}
