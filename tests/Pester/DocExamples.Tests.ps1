# Every PowerShell example in README.md and docs/ runs, as written, against the samples in docs/examples and loopback
# doubles, so a page cannot drift from the code.
#
# The marker convention (for every page, including new ones), HTML comments on the lines right above a ```powershell
# fence, so they show in the page's source and nowhere else:
#     <!-- docs-test: skip (why it cannot run here) -->
#         the block does not run. Only for what no double stands in for (a Windows-only API, a change to this
#         machine's own setup); the reason is shown in the test output, so skipped examples stay visible.
#     <!-- docs-test: replace 'text in the block' with 'text to run' -->
#         the block runs with that text replaced: a share (\\fileserver\dart) by a sandbox folder, -Count 12 by
#         -Count 2, an address outside loopback by a loopback one, a WinRM -ComputerName by -Session $FleetSessions.
#         In the second text {repo} is the repository's root, {ise} the ISE double's host:port, {iseThumbprint} its
#         certificate's thumbprint. Several replace lines may stack.
#     <!-- docs-test: clipboard 'path from the repository root' -->
#         Get-Clipboard returns that file's lines.
#     <!-- docs-test: exits N -->
#         the block is a script that ends with exit: it runs as a script file, and must end with exit code N.
# In a block whose lines start with "PS> " (the help pages), only those commands run, without the prompt, each with
# the lines that continue it (">> " or indented, while the command is incomplete); the other lines are output.
#
# The sandbox (tests/Pester/Support/DocExamples.ps1 says what it holds) is the current folder: the files the examples
# name, the samples' folders, the built module in ./out/PostureSync (also on PSModulePath), an endpoint (fake system
# root with the healthy profile, the healthy sample's log as its live journal, a stub systemctl) and a hosts file that
# resolves the pages' PSN and ISE names to loopback. Each page's session is connected to the ISE double (as after
# Connect-IseServer), its Get-Credential answers with the double's account, and $FleetSessions, where a page names it,
# are SSH sessions to 127.0.0.1-3 (tests/Pester/Support/SshLoopback.ps1), the remote endpoints for WinRM examples.
# All pages run in one child pwsh, each in its own runspace, its blocks in page order with $ErrorActionPreference
# Stop: an error in any example fails the page and names the block. A wildcard path an example names (docs/*.zip)
# must match a file in the sandbox, so an example cannot pass by running over nothing.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Support/DocExamples.ps1')
    $script:Docs = @(Get-DocExample (Join-Path $PSScriptRoot '../..') | ForEach-Object { @{ Doc = $_.Doc; Blocks = @($_.Blocks | ForEach-Object { @{ Line = $_.Line; Skip = $_.Skip } }) } })
    # The endpoint's live log and agent are stub journalctl and systemctl: on another OS the live examples would read
    # and restart the real ones.
    $script:NotLinux = -not $IsLinux
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
    . (Join-Path $PSScriptRoot 'Support/DocExamples.ps1')
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    if ($IsLinux) {
        $pages = @(Get-DocExample $Repo)
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('posturesync-docs-' + [guid]::NewGuid().ToString('N'))
        $script:Box = New-DocSandbox $folder $Repo (Split-Path -Parent $env:POSTURESYNC_MODULE) @($pages.Blocks.Code)
        $pagesPath = Join-Path $Box.Folder '.pages.json'
        $resultPath = Join-Path $Box.Folder '.results.json'
        ConvertTo-Json -InputObject $pages -Depth 4 | Set-Content -LiteralPath $pagesPath
        $moduleRoot = Join-Path $Box.Folder 'out'
        $runner = Join-Path $PSScriptRoot 'Support/Invoke-DocExamples.ps1'
        $script:Run = Invoke-ChildPwsh "& '$runner' -PagesPath '$pagesPath' -ResultPath '$resultPath' -Sandbox '$($Box.Folder)' -Repo '$Repo' -ModuleRoot '$moduleRoot'" -Environment @{
            POSTURESYNC_SYSTEM_ROOT = $Box.Root
            POSTURESYNC_HOSTS_FILE  = $Box.Hosts
            PATH                    = $Box.Bin + [System.IO.Path]::PathSeparator + $env:PATH
            PSModulePath            = $moduleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
        }
        $script:Results = @{}
        if (Test-Path -LiteralPath $resultPath) { foreach ($result in (Get-Content -Raw -LiteralPath $resultPath | ConvertFrom-Json)) { $Results[$result.Doc] = $result } }
    }
}

AfterAll {
    if ($Box) { Remove-Item -LiteralPath $Box.Folder -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The PowerShell examples of <Doc>' -ForEach $Docs -Skip:$NotLinux {
    It 'runs every example not marked to skip, in page order' {
        if (-not @($Blocks | Where-Object { -not $_.Skip })) { Set-ItResult -Skipped -Because 'every example on this page is marked to skip'; return }
        $result = $Results[$Doc]
        $result | Should -Not -BeNullOrEmpty -Because "the runner reports every page (exit code $($Run.ExitCode)): $($Run.Output -join "`n")"
        if ($result.Skip) { Set-ItResult -Skipped -Because $result.Skip; return }
        $result.Passed | Should -BeTrue -Because "$Doc, $($result.Failing) must run: $($result.Output -join "`n")"
    }

    It 'does not run the example at line <Line> here: <Skip>' -ForEach @($Blocks | Where-Object { $_.Skip }) {
        Set-ItResult -Skipped -Because $Skip
    }
}

Describe 'The Demo at 80 columns' {
    BeforeAll {
        $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $script:DemoStart = Get-Date
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
        # What the demo renders fits 80 columns; the commands it echoes (PS>) are as long as they are, and -WhatIf's
        # line is the host's own.
        $DemoLines | Where-Object { $_ -notlike 'PS> *' -and $_ -notlike 'What if: *' } | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 -Because "'$_' is rendered output" }
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
        $starts = @(for ($i = 0; $i -lt $DemoLines.Count; $i++) { if ($DemoLines[$i] -like 'PS> *') { $i } })
        $checked = 0
        Push-Location $Repo
        try {
            foreach ($k in 0..($starts.Count - 1)) {
                $command = $DemoLines[$starts[$k]].Substring(4)
                # The live and ISE steps depend on the doubles the demo started, and the page's size on the time it was
                # written; every other step is checked.
                if ($command -match 'TimeoutSec|^Restart-PostureAgent|Export-PostureSyncReport|Ise') { continue }
                $end = if ($k + 1 -lt $starts.Count) { $starts[$k + 1] } else { $DemoLines.Count }
                $shown = @($DemoLines[($starts[$k] + 1)..($end - 1)] | Where-Object { $_ -notlike '===*' -and $_ -notlike '(*' }) -join "`n"
                $again = @(& (Join-Path $Repo 'docs/examples/Invoke-Demo.ps1') -Width 80 -Command $command) -join "`n"
                $shown.Trim() | Should -Be $again.Trim() -Because "the demo ran '$command'"
                $checked++
            }
        }
        finally { Pop-Location }
        $checked | Should -BeGreaterThan 6
    }

    It 'writes the page it says it writes' {
        $step = [array]::FindIndex([string[]] $DemoLines, [Predicate[string]] { param($line) $line -like 'PS> *Export-PostureSyncReport -Path out/demo-report.html *' })
        $step | Should -BeGreaterThan 0
        $DemoLines[$step..($step + 5)] -match '^demo-report\.html +\d+' | Should -Not -BeNullOrEmpty
        (Get-Item -LiteralPath (Join-Path $Repo 'out/demo-report.html')).LastWriteTime | Should -BeGreaterThan $DemoStart
    }
}
