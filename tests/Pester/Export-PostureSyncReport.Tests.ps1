BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    $script:Examples = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples')).Path
    $script:Bundles = @(Get-ChildItem (Join-Path $Examples 'dart') -Filter *.zip | Sort-Object Name)

    # The demo bundles' reports, events and a dACL test, as Invoke-Command or Import-Clixml hand them back.
    $script:Clixml = Join-Path $TestDrive 'results.clixml'
    @(@($Bundles | Test-PostureSyncHealth) + @($Bundles | Get-DartSyncEvents) +
        @(Test-ComplianceDacl -Path (Join-Path $Examples 'dacl/compliant-bad.txt') -PsnAddress 10.1.1.1 -WarningAction SilentlyContinue)) | Export-Clixml -LiteralPath $Clixml

    function Get-Rows([string] $Page) {
        @([regex]::Matches($Page, '<tr class="report st-[a-z]+" data-status="([a-z]+)">.*?<span class="endpoint">([^<]*)</span>') |
            ForEach-Object { [pscustomobject]@{ Status = $_.Groups[1].Value; Endpoint = $_.Groups[2].Value } })
    }

    function Get-StrayFiles([string] $Folder, [string] $Keep) {
        @(Get-ChildItem -LiteralPath $Folder -Force | Where-Object Name -ne $Keep)
    }
}

Describe 'Export-PostureSyncReport' {
    BeforeEach {
        $script:Folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $Folder | Out-Null
        $script:Page = Join-Path $Folder 'report.html'
    }

    It 'takes deserialized reports, events and dACL tests from Import-Clixml: one row per report, worst first, a timeline each' {
        $results = Import-Clixml -LiteralPath $Clixml
        $results[0].PSTypeNames[0] | Should -Be 'Deserialized.PostureSync.HealthReport'

        $file = $results | Export-PostureSyncReport -Path $Page -Title 'Fleet <check>' -PassThru

        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $Page
        $html = Get-Content -LiteralPath $Page -Raw
        $rows = Get-Rows $html
        $rows.Endpoint | Should -Be @('endpoint-sync-off', 'endpoint-healthy')
        $rows.Status | Should -Be @('unhealthy', 'healthy')
        $html | Should -Match '<title>Fleet &lt;check&gt;</title>'
        $html | Should -Match '<span class="todo">fix the dACL first, then restart the agent \(Restart-PostureAgent\)</span>'
        ([regex]::Matches($html, '<details class="timeline page" id="tl-\d+"')).Count | Should -Be 2
        $html | Should -Match '<a href="#tl-1">timeline</a>'
        $html | Should -Match '<h2>dACL tests</h2>'
        $version = (Get-Module PostureSync).Version.ToString()
        $html | Should -Match "<span id=`"module-version`">$([regex]::Escape($version))</span>"
        Get-StrayFiles $Folder 'report.html' | Should -BeNullOrEmpty
    }

    It 'reports an object of another type as a non-terminating error naming its type, and writes the rest' {
        $results = @(Import-Clixml -LiteralPath $Clixml) + @([datetime]'2026-01-01', [pscustomobject]@{ PSTypeName = 'Contoso.Thing'; Status = 'Unhealthy' })

        $results | Export-PostureSyncReport -Path $Page -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.Count | Should -Be 2
        $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ReportInputTypeUnknown,*' }
        $problems[0].Exception.Message | Should -Match 'does not take System\.DateTime objects'
        $problems[1].Exception.Message | Should -Match 'does not take Contoso\.Thing objects'
        $problems[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-Rows (Get-Content -LiteralPath $Page -Raw)).Count | Should -Be 2
    }

    It 'writes nothing when no object given is a PostureSync result' {
        { 1, 'two' | Export-PostureSyncReport -Path $Page -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ReportNothingToWrite,PostureSync.ExportPostureSyncReportCommand'
        $Page | Should -Not -Exist
        Get-StrayFiles $Folder 'none' | Should -BeNullOrEmpty
    }

    It 'replaces an existing page by default, and with -NoClobber keeps it and fails before reading input' {
        Set-Content -LiteralPath $Page -Value 'old page'
        $read = 0
        { Import-Clixml -LiteralPath $Clixml | ForEach-Object { $script:read++; $_ } | Export-PostureSyncReport -Path $Page -NoClobber } |
            Should -Throw -ErrorId 'ReportFileExists,PostureSync.ExportPostureSyncReportCommand'
        $read | Should -Be 0
        Get-Content -LiteralPath $Page -Raw | Should -Be "old page$([Environment]::NewLine)"

        Import-Clixml -LiteralPath $Clixml | Export-PostureSyncReport -Path $Page
        Get-Content -LiteralPath $Page -Raw | Should -Match '^<!DOCTYPE html>'
    }

    It 'leaves the old page whole when the pipeline fails half way, with no temporary file' {
        Set-Content -LiteralPath $Page -Value 'old page'
        { & { Import-Clixml -LiteralPath $Clixml; throw 'the upstream command failed' } | Export-PostureSyncReport -Path $Page } | Should -Throw '*upstream*'
        Get-Content -LiteralPath $Page -Raw | Should -Be "old page$([Environment]::NewLine)"
        Get-StrayFiles $Folder 'report.html' | Should -BeNullOrEmpty
    }

    It 'never lets a reader see half a page while it rewrites a large one' {
        $reports = Import-Clixml -LiteralPath $Clixml | Where-Object { $_.PSTypeNames[0] -eq 'Deserialized.PostureSync.HealthReport' }
        $many = foreach ($i in 1..1500) { $reports[$i % 2] }
        $many | Export-PostureSyncReport -Path $Page
        $state = [hashtable]::Synchronized(@{ Done = $false })
        $reader = [powershell]::Create()
        $null = $reader.AddScript({
                param($Path, $State)
                $seen = 0; $partial = 0
                while (-not $State.Done) {
                    try { $text = [System.IO.File]::ReadAllText($Path) } catch [System.IO.IOException] { continue }
                    $seen++
                    if (-not $text.EndsWith("</html>`n")) { $partial++ }
                }
                [pscustomobject]@{ Seen = $seen; Partial = $partial }
            }).AddArgument($Page).AddArgument($state)
        $pending = $reader.BeginInvoke()
        try {
            foreach ($round in 1..4) { $many | Export-PostureSyncReport -Path $Page -Title "Round $round" }
        }
        finally { $state.Done = $true }
        $result = @($reader.EndInvoke($pending))[-1]
        $reader.Dispose()
        $result.Seen | Should -BeGreaterThan 0
        $result.Partial | Should -Be 0 -Because "$($result.Seen) reads were made while the page was rewritten"
        Get-Content -LiteralPath $Page -Raw | Should -Match '<title>Round 4</title>'
        Get-StrayFiles $Folder 'report.html' | Should -BeNullOrEmpty
    }

    It 'takes a relative -Path from the current location and fails clearly on a missing folder or a folder' {
        Push-Location -LiteralPath $Folder
        try { Import-Clixml -LiteralPath $Clixml | Export-PostureSyncReport relative.html }
        finally { Pop-Location }
        Join-Path $Folder 'relative.html' | Should -Exist

        { Import-Clixml -LiteralPath $Clixml | Export-PostureSyncReport -Path (Join-Path $Folder 'missing/report.html') } |
            Should -Throw -ErrorId 'ReportFolderNotFound,PostureSync.ExportPostureSyncReportCommand'
        { Import-Clixml -LiteralPath $Clixml | Export-PostureSyncReport -Path $Folder } |
            Should -Throw -ErrorId 'ReportPathIsFolder,PostureSync.ExportPostureSyncReportCommand'
    }

    It 'reads hand-made objects with the right type name by property name, and keeps hostile text as text' {
        $hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
        $report = [pscustomobject]@{
            PSTypeName = 'PostureSync.HealthReport'; Endpoint = $hostile; Source = 'Live'; Status = 'Degraded'; PostureStatus = 'Pending'
            ChecksPassed = '4'; ChecksFailed = 1; NeedsAgentRestart = $false; Findings = @("Port Warning: $hostile -> do this")
        }
        $report | Export-PostureSyncReport -Path $Page
        $html = Get-Content -LiteralPath $Page -Raw
        $html | Should -Not -Match ([regex]::Escape($hostile))
        $html | Should -Match ([regex]::Escape('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'))
        ([regex]::Matches($html, '<script')).Count | Should -Be 1
        $html | Should -Match '<td class="num">4</td><td class="num">1</td>'
    }
}
