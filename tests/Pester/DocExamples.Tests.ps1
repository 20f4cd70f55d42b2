# Every PowerShell example in README.md and docs/ runs, as written, against the samples in docs/examples and loopback
# doubles, so a page cannot drift from the code.
#
# The marker convention (for every page, including new ones), HTML comments on the lines right above a ```powershell
# fence, so they show in the page's source and nowhere else:
#     <!-- docs-test: skip (why it cannot run here) -->
#         the block does not run: it needs a real Cisco endpoint, WinRM, a clipboard, an address outside loopback, or it
#         changes this machine. The reason is shown in the test output, so skipped examples stay visible.
#     <!-- docs-test: replace 'text in the block' with 'text to run' -->
#         the block runs with that text replaced, e.g. a share (\\fileserver\dart) by a sandbox folder, or -Count 12
#         by -Count 2; {repo} in the second text is the repository's root. Several replace lines may stack.
# In a block whose lines start with "PS> " (the help pages), only those lines run, without the prompt, with their
# ">> " continuation lines; the other lines are output.
#
# The sandbox each page runs in: the current folder holds every relative file an example names (.txt: the good sample
# dACL, .zip: the healthy sample bundle, .xml: the healthy sample profile) and the samples' own folders (dart/,
# dacl/, profiles/, docs/examples/); the endpoint is a fake root with the healthy profile (POSTURESYNC_SYSTEM_ROOT);
# names resolve through a hosts file to loopback (POSTURESYNC_HOSTS_FILE); PostureSync is on PSModulePath and
# ./out/PostureSync is the built module. A page's blocks run in order in one pwsh, with $ErrorActionPreference Stop:
# an error in any example fails the page and names the block.
BeforeDiscovery {
    $root = Join-Path $PSScriptRoot '../..'
    $files = @(Get-Item (Join-Path $root 'README.md')) + @(Get-ChildItem (Join-Path $root 'docs') -Filter *.md -Recurse)
    $script:Docs = foreach ($file in $files) {
        $lines = @(Get-Content -LiteralPath $file.FullName)
        $blocks = [System.Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i].Trim() -ne '```powershell') { continue }
            $start = $i
            $body = [System.Collections.Generic.List[string]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i].Trim() -ne '```'; $i++) { $body.Add($lines[$i]) }
            $skip = $null
            $replacements = [System.Collections.Generic.List[object]]::new()
            for ($m = $start - 1; $m -ge 0 -and $lines[$m] -like '<!-- docs-test: *'; $m--) {
                $skipMatch = [regex]::Match($lines[$m], '^<!-- docs-test: skip \((?<why>.+)\) -->$')
                $replaceMatch = [regex]::Match($lines[$m], "^<!-- docs-test: replace '(?<old>[^']+)' with '(?<new>[^']*)' -->$")
                if ($skipMatch.Success) { $skip = $skipMatch.Groups['why'].Value }
                elseif ($replaceMatch.Success) { $replacements.Add([pscustomobject]@{ Old = $replaceMatch.Groups['old'].Value; New = $replaceMatch.Groups['new'].Value.Replace('{repo}', (Resolve-Path $root).Path) }) }
                else { throw "$($file.Name):$($m + 1): '$($lines[$m])' is not a docs-test marker (skip (...) or replace '...' with '...')." }
            }
            $prompted = [System.Collections.Generic.List[string]]::new()
            $inPrompt = $false
            foreach ($line in $body) {
                if ($line -like 'PS> *') { $prompted.Add($line.Substring(4)); $inPrompt = $true }
                elseif ($inPrompt -and ($line -like '>> *' -or $line -like '        *')) { $prompted.Add(($line -replace '^>> ')) }
                else { $inPrompt = $false }
            }
            $code = if ($prompted.Count -gt 0) { $prompted -join "`n" } else { $body -join "`n" }
            foreach ($pair in $replacements) {
                if (-not $code.Contains($pair.Old)) { throw "$($file.Name):$($start + 1): the replace marker's text '$($pair.Old)' is not in the block." }
                $code = $code.Replace($pair.Old, $pair.New)
            }
            $blocks.Add(@{ Line = $start + 1; Code = $code; Skip = $skip })
        }
        if ($blocks.Count -gt 0) {
            @{ Doc = [System.IO.Path]::GetRelativePath((Resolve-Path $root).Path, $file.FullName); Blocks = $blocks.ToArray() }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
    $script:Examples = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples')).Path
    $script:ModuleBase = Split-Path -Parent $env:POSTURESYNC_MODULE

    function New-Sandbox([string] $Name, [string[]] $Code) {
        $box = New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) $Name) -Force
        foreach ($folder in 'dart', 'dacl', 'profiles') { Copy-Item (Join-Path $Examples $folder) -Destination $box -Recurse }
        New-Item -ItemType Directory -Path (Join-Path $box 'docs') -Force | Out-Null
        Copy-Item $Examples -Destination (Join-Path $box 'docs/examples') -Recurse
        New-Item -ItemType Directory -Path (Join-Path $box 'out') -Force | Out-Null
        Copy-Item $ModuleBase -Destination (Join-Path $box 'out/PostureSync') -Recurse
        $samples = @{ '.txt' = Join-Path $Examples 'dacl/compliant-good.txt'; '.zip' = Join-Path $Examples 'dart/endpoint-healthy.zip'; '.xml' = Join-Path $Examples 'profiles/healthy/ISEPostureCFG.xml' }
        $log = Join-Path $box '.sample-log.txt'
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $Examples 'dart/endpoint-healthy.zip'))
        try { [System.IO.Compression.ZipFileExtensions]::ExtractToFile(($zip.Entries | Where-Object Name -eq 'AnyConnect_ISEPosture.txt'), $log) } finally { $zip.Dispose() }
        foreach ($match in [regex]::Matches(($Code -join "`n"), '(?<![\w\\/.-])(?:\.[\\/])?(?<name>[\w.-]+\.(?<ext>txt|zip|xml))(?![\w/\\])')) {
            $name = $match.Groups['name'].Value
            $target = Join-Path $box $name
            if (Test-Path $target) { continue }
            if ($name -like 'AnyConnect_ISEPosture*') { Copy-Item $log $target }
            elseif ($name -like 'psn*.txt') { Set-Content -LiteralPath $target -Value 'psn1.example.test', 'psn2.example.test' }
            else { Copy-Item $samples['.' + $match.Groups['ext'].Value] $target }
        }
        Copy-Item (Join-Path $Examples 'dart/*.zip') -Destination $box
        $endpoint = Join-Path $box '.endpoint'
        New-Item -ItemType Directory -Path (Join-Path $endpoint 'opt/cisco/secureclient/iseposture') -Force | Out-Null
        Copy-Item (Join-Path $Examples 'profiles/healthy/ISEPostureCFG.xml') (Join-Path $endpoint 'opt/cisco/secureclient/iseposture')
        $hosts = Join-Path $box '.hosts'
        Set-Content -LiteralPath $hosts -Value @(
            '127.0.0.1 psn1.example.test psn1.example.com psn1.corp.example'
            '127.0.0.2 psn2.example.test psn2.example.com psn2.corp.example'
            '127.0.0.3 psn3.example.test psn3.example.com'
        )
        [pscustomobject]@{ Folder = $box.FullName; Root = $endpoint; Hosts = $hosts }
    }

    # One sandbox for every page: it holds what any example names (a page may leave files behind; none reads them).
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $everything = @(Get-Item (Join-Path $repo 'README.md')) + @(Get-ChildItem (Join-Path $repo 'docs') -Filter *.md -Recurse) | ForEach-Object { Get-Content -Raw -LiteralPath $_.FullName }
    $script:Box = New-Sandbox ('posturesync-docs-' + [guid]::NewGuid().ToString('N')) $everything
}

AfterAll {
    if ($Box) { Remove-Item -LiteralPath $Box.Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The PowerShell examples of <Doc>' -ForEach $Docs {
    It 'runs every example not marked to skip, in page order' {
        $run = @($Blocks | Where-Object { -not $_.Skip })
        if ($run.Count -eq 0) { Set-ItResult -Skipped -Because 'every example on this page is marked to skip'; return }
        $box = $Box
        # Each example runs after the ones above it, which may define what it uses; a marker line names the one running.
        $script = @(
            '$ErrorActionPreference = ''Stop'''
            '$ProgressPreference = ''SilentlyContinue'''
            "`$env:PSModulePath = '$(Split-Path -Parent $ModuleBase)' + [System.IO.Path]::PathSeparator + `$env:PSModulePath"
            'Import-Module PostureSync'
            "Set-Location -LiteralPath '$($box.Folder)'"
            foreach ($block in $run) { "Write-Output 'docs-test: example at line $($block.Line)'"; $block.Code }
            "Write-Output 'docs-test: done'"
        ) -join "`n"
        $result = Invoke-ChildPwsh $script -Environment @{ POSTURESYNC_SYSTEM_ROOT = $box.Root; POSTURESYNC_HOSTS_FILE = $box.Hosts }
        $started = @($result.Output | Where-Object { $_ -like 'docs-test: example at line *' })
        $failing = if ($started) { $started[-1].Substring(10) } else { 'the setup' }
        $result.ExitCode | Should -Be 0 -Because "$Doc, $failing must run: $($result.Output -join "`n")"
        $result.Output | Should -Contain 'docs-test: done'
    }

    It 'does not run the example at line <Line> here: <Skip>' -ForEach @($Blocks | Where-Object { $_.Skip }) {
        Set-ItResult -Skipped -Because $Skip
    }
}

Describe 'The Demo at 80 columns' {
    BeforeAll {
        $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $demo = Invoke-ChildPwsh "& '$(Join-Path $Repo 'docs/examples/Invoke-Demo.ps1')' -Width 80; exit `$LASTEXITCODE"
        $script:DemoExit = $demo.ExitCode
        $script:DemoLines = @($demo.Output | ForEach-Object { $_ -split '\r?\n' })
        $script:Flat = ($DemoLines -join '') -replace '\s'
    }

    It 'runs to the end' {
        $DemoExit | Should -Be 0 -Because ($DemoLines -join "`n")
        ($DemoLines -match '^PS> ').Count | Should -BeGreaterThan 5
    }

    It 'wraps no table header' {
        for ($i = 1; $i -lt $DemoLines.Count; $i++) {
            if ($DemoLines[$i] -notmatch '^-+( +-+)*\s*$') { continue }
            $labels = @($DemoLines[$i - 1] -split ' +' | Where-Object { $_ })
            $dashes = @($DemoLines[$i] -split ' +' | Where-Object { $_ })
            $labels.Count | Should -Be $dashes.Count -Because "the header '$($DemoLines[$i - 1])' is on one line"
            for ($j = 0; $j -lt $labels.Count; $j++) { $dashes[$j].Length | Should -Be $labels[$j].Length }
        }
        # What the demo renders fits 80 columns; the commands it echoes (PS>) and warnings are as long as they are.
        $DemoLines | Where-Object { $_ -notlike 'PS> *' -and $_ -notlike 'WARNING: *' -and $_ -notlike '(*' } | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' is rendered output" }
    }

    It 'shows every verdict''s reason' {
        Import-Module $env:POSTURESYNC_MODULE -Force
        Push-Location $Repo
        try {
            $dacl = @(Test-ComplianceDacl -Path docs/examples/dacl/*.txt -PsnAddress 192.0.2.11, 192.0.2.12, 192.0.2.13 -WarningAction SilentlyContinue)
            $health = @(Get-ChildItem docs/examples/dart/*.zip | Test-PostureSyncHealth)
        }
        finally { Pop-Location }
        foreach ($result in $dacl) { $Flat.Contains(($result.Reason -replace '\s')) | Should -BeTrue -Because "the reason '$($result.Reason)' shows" }
        foreach ($report in $health) { foreach ($finding in $report.Findings) { $Flat.Contains(($finding -replace '\s')) | Should -BeTrue -Because "the finding '$finding' shows" } }
    }

    It 'prints exactly the commands it runs: each offline command, run again, gives what the demo showed after it' {
        Import-Module $env:POSTURESYNC_MODULE -Force
        $starts = @(for ($i = 0; $i -lt $DemoLines.Count; $i++) { if ($DemoLines[$i] -like 'PS> *') { $i } })
        Push-Location $Repo
        try {
            foreach ($k in 0..($starts.Count - 1)) {
                $command = $DemoLines[$starts[$k]].Substring(4)
                # The live steps depend on the PSN double the demo started; every other step is checked.
                if ($command -match 'Restart-PostureAgent|TimeoutSec') { continue }
                $end = if ($k + 1 -lt $starts.Count) { $starts[$k + 1] } else { $DemoLines.Count }
                $shown = @($DemoLines[($starts[$k] + 1)..($end - 1)] | Where-Object { $_ -notlike '===*' -and $_ -notlike '(The live steps*' -and $_ -notlike 'WARNING: *' }) -join "`n"
                $again = @(& ([scriptblock]::Create($command)) 3>$null | Out-String -Width 80 -Stream) -join "`n"
                $shown.Trim() | Should -Be $again.Trim() -Because "the demo ran '$command'"
            }
        }
        finally { Pop-Location }
    }
}
