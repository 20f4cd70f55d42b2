# Get-Help as an admin meets it: -Examples, -Online and related links, about_PostureSync, and the scheduled-task script
# found where the module is installed, as about_PostureSync and docs/scheduled-tasks.md say.
BeforeDiscovery {
    $script:Cmdlets = @((Import-PowerShellDataFile $env:POSTURESYNC_MODULE).CmdletsToExport | ForEach-Object { @{ Cmdlet = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    # The folder that holds the built module, as an installed module's parent is on PSModulePath.
    $script:ModuleRoot = Split-Path -Parent (Split-Path -Parent $env:POSTURESYNC_MODULE)
    $script:Bundle = Join-Path $Repo 'docs/examples/dart/endpoint-sync-off.zip'
}

Describe 'Get-Help <Cmdlet>' -ForEach $Cmdlets {
    It 'shows -Examples with a blank line before each example' {
        $lines = @((Get-Help $Cmdlet -Examples | Out-String -Width 400) -split '\r?\n')
        $titles = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^\s*-{10,} .+ -{10,}\s*$') { $i } })
        $titles.Count | Should -BeGreaterOrEqual 2 -Because 'every help page has at least two examples'
        foreach ($title in $titles) {
            $lines[$title - 1].Trim() | Should -BeNullOrEmpty -Because "'$($lines[$title].Trim())' starts after a blank line, not glued to the text before it"
        }
    }

    It 'answers -Online with "no online version", not an invalid address, and names its related topics as text' {
        $problem = $null
        try { Get-Help $Cmdlet -Online -ErrorAction Stop } catch { $problem = $_ }
        $problem | Should -Not -BeNullOrEmpty
        $problem.Exception.Message | Should -Match 'URI\) of the Help topic is not specified'
        $problem.Exception.Message | Should -Not -Match 'is not valid'
        $links = @((Get-Help $Cmdlet).relatedLinks.navigationLink)
        $links.Count | Should -BeGreaterThan 0
        foreach ($link in $links) {
            $link.linkText | Should -Not -BeNullOrEmpty
            "$($link.uri)" | Should -BeNullOrEmpty -Because 'a docs page is not an address a browser can open'
            if ($link.linkText -match '^[A-Z][a-z]+-[A-Z]\w+$') { Get-Command $link.linkText -ErrorAction Stop | Should -Not -BeNullOrEmpty }
        }
    }
}

Describe 'about_PostureSync' {
    It 'names the scheduled-task script, and the lines it gives find it and its help where the module is installed' {
        $about = Get-Help about_PostureSync | Out-String -Width 400
        $about | Should -Match 'Invoke-PostureSyncHealthCheck\.ps1'
        $about | Should -Match 'Connect-IseServer' -Because 'every exported cmdlet is named'
        foreach ($cmdlet in (Import-PowerShellDataFile $env:POSTURESYNC_MODULE).CmdletsToExport) { $about | Should -Match ([regex]::Escape($cmdlet)) }
        $find = @($about -split '\r?\n' | Where-Object { $_ -match '^\s*\$(module|script) = ' } | ForEach-Object { $_.Trim() })
        $find.Count | Should -Be 2
        $run = Invoke-ChildPwsh (($find + 'Test-Path -LiteralPath $script', '(Get-Help $script).parameters.parameter.name -join '',''') -join "`n") -Environment @{ PSModulePath = $ModuleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output[0] | Should -Be 'True'
        $run.Output[1] -split ',' | Should -Contain 'LogPath'
    }
}

Describe 'docs/scheduled-tasks.md' {
    BeforeAll {
        $script:Page = Get-Content -Raw -LiteralPath (Join-Path $Repo 'docs/scheduled-tasks.md')
        # Every line in a code block that starts the script.
        $script:Launches = @([regex]::Matches($Page, '(?ms)^```\w*\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value -split '\r?\n' } | Where-Object { $_ -match 'Invoke-PostureSyncHealthCheck\.ps1' })
    }

    It 'hard-codes no installed path or version' {
        $Page | Should -Not -Match 'PostureSync[\\/]\d+\.\d+'
        $Page | Should -Not -Match '/Modules/PostureSync'
        $Launches.Count | Should -BeGreaterOrEqual 4
        $Launches | ForEach-Object { $_ | Should -Match '\(Get-Module PostureSync -ListAvailable\b.*\)\.ModuleBase' }
    }

    It 'runs the script from the systemd and cron lines as written, finding it through ModuleBase' -ForEach @(
        @{ Kind = 'systemd'; Pattern = '^ExecStart=\S+ -NoProfile -NonInteractive -Command "(?<command>.+)"$'; Dollar = '$$' }
        @{ Kind = 'cron'; Pattern = "^\*/30 \* \* \* \* \S+ -NoProfile -NonInteractive -Command '(?<command>.+)' >/dev/null 2>&1$"; Dollar = '$' }
    ) {
        $line = @($Launches | Where-Object { $_ -match $Pattern })
        $line.Count | Should -Be 1 -Because "the page has one $Kind line"
        $command = ([regex]::Match($line[0], $Pattern).Groups['command'].Value).Replace($Dollar, '$')
        # A bundle and a log here instead of the live check and the system log: the same command line otherwise.
        $log = Join-Path $TestDrive "$Kind.jsonl"
        $command = $command.Replace('-PostureStatus Compliant', "-PostureStatus Compliant -Path '$Bundle' -LogPath '$log'")
        $run = Invoke-ChildPwsh $command -Environment @{ PSModulePath = $ModuleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath }
        $run.ExitCode | Should -Be 2 -Because "the sample bundle is Unhealthy, so the script ran: $($run.Output -join "`n")"
        (Get-Content -LiteralPath $log | ConvertFrom-Json).Status | Should -Be 'Unhealthy'
    }
}
