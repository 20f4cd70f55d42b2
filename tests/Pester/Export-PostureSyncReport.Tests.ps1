BeforeAll {
    Import-Module $env:POSTURESYNC_MODULE -Force
    . (Join-Path $PSScriptRoot 'Support/ChildPwsh.ps1')
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

    It 'replaces a read-only page only with -Force and leaves it read-only, as Export-Csv does; -NoClobber wins over -Force' {
        Set-Content -LiteralPath $Page -Value 'old page'
        Set-ItemProperty -LiteralPath $Page -Name IsReadOnly -Value $true
        { Import-Clixml -LiteralPath $Clixml | Export-PostureSyncReport -Path $Page } | Should -Throw -ErrorId 'ReportFileReadOnly,PostureSync.ExportPostureSyncReportCommand'
        { Import-Clixml -LiteralPath $Clixml | Export-PostureSyncReport -Path $Page -Force -NoClobber } | Should -Throw -ErrorId 'ReportFileExists,PostureSync.ExportPostureSyncReportCommand'
        Get-Content -LiteralPath $Page -Raw | Should -Be "old page$([Environment]::NewLine)"

        $file = Import-Clixml -LiteralPath $Clixml | Export-PostureSyncReport -Path $Page -Force -PassThru

        Get-Content -LiteralPath $Page -Raw | Should -Match '^<!DOCTYPE html>'
        $file.IsReadOnly | Should -BeTrue
        (Get-Item -LiteralPath $Page).IsReadOnly | Should -BeTrue
        Get-StrayFiles $Folder 'report.html' | Should -BeNullOrEmpty
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

Describe 'Invoke-PostureSyncHealthCheck.ps1 -ReportPath' {
    It 'writes the page beside its JSON lines, one row per bundle, worst first, and still exits with the verdict' {
        $folder = Join-Path $TestDrive 'task'
        $log = Join-Path $folder 'health.jsonl'
        $script = Join-Path (Split-Path $env:POSTURESYNC_MODULE) 'Invoke-PostureSyncHealthCheck.ps1'
        $bundles = ($Bundles.FullName | ForEach-Object { "'$_'" }) -join ', '

        $run = Invoke-ChildPwsh "& '$script' -Path $bundles -LogPath '$log' -ReportPath health.html; exit `$LASTEXITCODE"

        $run.ExitCode | Should -Be 2 -Because ($run.Output -join "`n")
        @(Get-Content -LiteralPath $log).Count | Should -Be 1
        $page = Join-Path $folder 'health.html'
        $html = Get-Content -LiteralPath $page -Raw
        (Get-Rows $html).Endpoint | Should -Be @('endpoint-sync-off', 'endpoint-healthy')
        $html | Should -Match '<title>PostureSync health: '
        Get-StrayFiles $folder 'health.html' | Where-Object Name -ne 'health.jsonl' | Should -BeNullOrEmpty
    }
}


# The page the built module writes, as a person's browser shows it: headless Chromium over DevTools on loopback. The
# ISE audit rows come from Test-IseComplianceDacl against the loopback ISE double, whose deployment here also holds a
# policy set, rule, profile and dACL text an attacker could have written.
Describe 'Export-PostureSyncReport in headless Chromium' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Support/HeadlessChromium.ps1')
        . (Join-Path $PSScriptRoot '../PostureSync.IseDouble/IseDouble.ps1')
        $script:Chromium = Find-HeadlessChromium
        $script:Browser = $null
        $script:Ise = $null
        if (-not $Chromium.Path) { return }

        Import-IseDouble
        $script:Hostile = '<script>window.__pwned="script"</script>"><img src=x onerror="window.__pwned=''img''">javascript:window.__pwned="url"</style><svg onload=window.__pwned="svg">'
        $deployment = [PostureSync.IseDouble.IseDeployment]::Standard()
        $null = $deployment.AddDacl('HOSTILE_DACL', "permit ip any any $Hostile`ndeny tcp any host 127.0.0.11 eq 8449")
        $deployment.Profiles.Add([PostureSync.IseDouble.DoubleProfile]@{ Name = "Profile $Hostile"; DaclName = 'HOSTILE_DACL' })
        $set = [PostureSync.IseDouble.DoublePolicySet]@{ Name = "Set $Hostile"; Rank = 3 }
        $set.Rules.Add([PostureSync.IseDouble.Conditions]::Rule("Rule $Hostile", 0, [PostureSync.IseDouble.Conditions]::Posture('equals', 'Compliant'), "Profile $Hostile"))
        $deployment.PolicySets.Add($set)
        $script:Ise = Start-IseDouble $deployment
        $null = Connect-IseServer $Ise.Server -Credential (New-IseDoubleCredential) -CertificateThumbprint $Ise.Thumbprint
        $script:Audits = @(Test-IseComplianceDacl -WarningAction SilentlyContinue)
        $script:Ports = @(Get-IsePsn | Test-PostureSyncPort -PostureStatus Compliant -TimeoutSec 2)
        $script:Live = @(@($Bundles | Test-PostureSyncHealth) + @($Bundles | Get-DartSyncEvents) + $Ports +
            @(Test-ComplianceDacl -Path (Join-Path $Examples 'dacl/compliant-bad.txt') -PsnAddress 10.1.1.1 -WarningAction SilentlyContinue) + $Audits)

        $script:Browser = Start-HeadlessChromium $Chromium.Path
        $null = Invoke-DevTools $Browser 'Network.enable'
        $null = Invoke-DevTools $Browser 'Page.enable'

        # What the page shows for a value: PropertyReader's invariant text, a list one item to a line.
        function Get-CellText($Value) {
            if ($null -eq $Value) { return '' }
            if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) { return (@($Value | ForEach-Object { Get-CellText $_ }) -join "`n") }
            if ($Value -is [System.IFormattable]) { return $Value.ToString($null, [cultureinfo]::InvariantCulture) }
            "$Value"
        }

        function Get-VerdictRank([string] $Verdict) { switch ($Verdict) { 'Fail' { 0 } 'Warn' { 1 } 'Pass' { 3 } default { 2 } } }

        # Each results section of the loaded page: its title, headers and rows of cell text.
        function Get-ShownTable([string] $Title) {
            Get-DevToolsValue $Browser @"
(() => { const s = [...document.querySelectorAll('section.results')].find(s => s.querySelector('h2').textContent === '$Title');
  return s ? { headers: [...s.querySelector('thead tr').cells].map(c => c.textContent),
               rows: [...s.querySelectorAll('tr.result')].map(r => [...r.cells].map(c => c.textContent)) } : null; })()
"@
        }
    }

    AfterAll {
        if ($Browser) { Stop-HeadlessChromium $Browser }
        if ($Ise) { $Ise.Dispose() }
    }

    BeforeEach {
        if (-not $Chromium.Path) { Set-ItResult -Skipped -Because $Chromium.Skip }
        $script:Folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $Folder | Out-Null
    }

    It 'shows every ISE audit as one row of the ISE dACL audit section, failures first, each value as the object holds it' {
        $Audits.Count | Should -BeGreaterThan 10
        @($Audits.Verdict | Sort-Object -Unique) | Should -Be @('Fail', 'Pass', 'Unknown', 'Warn') -Because 'the standard deployment yields every verdict'
        $page = Join-Path $Folder 'ise.html'
        $Audits | Export-PostureSyncReport -Path $page

        Open-DevToolsPage $Browser (Get-FileUrl $page)

        $shown = Get-ShownTable 'ISE dACL audit'
        $shown | Should -Not -BeNullOrEmpty
        $columns = @($Audits[0].PSObject.Properties.Name)
        @($shown.headers) | Should -Be $columns
        $expected = @($Audits | Sort-Object -Stable { Get-VerdictRank $_.Verdict } | ForEach-Object { $audit = $_; , @($columns | ForEach-Object { Get-CellText $audit.$_ }) })
        $shown.rows.Count | Should -Be $Audits.Count
        for ($i = 0; $i -lt $expected.Count; $i++) { @($shown.rows[$i]) | Should -Be $expected[$i] -Because "row $($i + 1) is $($expected[$i][1]) / $($expected[$i][3]) / $($expected[$i][5])" }

        $counts = Get-DevToolsValue $Browser "Object.fromEntries([...document.querySelectorAll('#summary table.counts')].find(t => t.textContent.startsWith('ISE dACL audit')).querySelectorAll('tbody tr').values().map(r => [r.cells[0].textContent, Number(r.cells[1].textContent)]))"
        foreach ($group in $Audits | Group-Object Verdict) { $counts.($group.Name) | Should -Be $group.Count }
    }

    It 'runs nothing and fetches nothing from ISE names and dACL text an attacker wrote' {
        $carrying = @($Audits | Where-Object { ($_.PSObject.Properties.Value | ForEach-Object { Get-CellText $_ }) -match [regex]::Escape($Hostile) })
        $carrying.Count | Should -BeGreaterThan 0 -Because 'the hostile policy set, rule and profile reach the audit rows'
        $page = Join-Path $Folder 'hostile.html'
        $Audits | Export-PostureSyncReport -Path $page -Title $Hostile
        $url = (Get-FileUrl $page)

        Open-DevToolsPage $Browser $url
        Start-Sleep -Seconds 1

        Get-DevToolsValue $Browser 'typeof window.__pwned' | Should -Be 'undefined'
        Get-DevToolsValue $Browser "document.querySelectorAll('img, image, iframe, link, object, embed, svg [onload], meta[http-equiv=refresh]').length" | Should -Be 0
        Get-DevToolsValue $Browser 'document.scripts.length' | Should -Be 1
        Get-DevToolsValue $Browser "[...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('on') || /^\s*javascript:/i.test(a.value)))" | Should -BeFalse
        Get-DevToolsValue $Browser 'document.title' | Should -Be $Hostile
        $rows = (Get-ShownTable 'ISE dACL audit').rows
        $rows.Count | Should -Be $Audits.Count
        @($rows | Where-Object { ($_ -join ' ') -match [regex]::Escape($Hostile) }).Count | Should -Be $carrying.Count
        Get-DevToolsRequest $Browser | Should -Be @($url)

        # The control: the same text written raw does run in this browser, so the checks above mean something.
        $control = Join-Path $Folder 'control.html'
        Set-Content -LiteralPath $control -Value "<!DOCTYPE html><title>control</title><body><p>$Hostile</p>"
        Open-DevToolsPage $Browser (Get-FileUrl $control)
        Get-DevToolsValue $Browser 'typeof window.__pwned' | Should -Be 'string'
    }

    It 'takes every input type back from Import-Clixml and shows the same page as from the live objects' {
        $types = 'HealthReport', 'DartSyncEvent', 'PortTestResult', 'DaclTestResult', 'IseDaclAudit'
        @($Live | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique) | Should -Be @($types | ForEach-Object { "PostureSync.$_" } | Sort-Object)
        $clixml = Join-Path $Folder 'every-type.clixml'
        $Live | Export-Clixml -LiteralPath $clixml
        $imported = @(Import-Clixml -LiteralPath $clixml)
        @($imported | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique) | Should -Be @($types | ForEach-Object { "Deserialized.PostureSync.$_" } | Sort-Object)

        $shown = foreach ($source in @{ Name = 'live'; Objects = $Live }, @{ Name = 'imported'; Objects = $imported }) {
            $page = Join-Path $Folder "$($source.Name).html"
            $source.Objects | Export-PostureSyncReport -Path $page -Title 'Every type'
            Open-DevToolsPage $Browser (Get-FileUrl $page)
            Get-DevToolsValue $Browser @"
({ rows: document.querySelectorAll('#endpoints tr.report').length,
   timelines: document.querySelectorAll('#timelines details.timeline').length,
   events: document.querySelectorAll('#timelines table.events tbody tr').length,
   sections: [...document.querySelectorAll('section.results')].map(s => s.querySelector('h2').textContent + ': ' + s.querySelectorAll('tr.result').length),
   text: document.querySelector('main').textContent })
"@
        }

        $reports = @($Live | Where-Object { $_.PSObject.TypeNames[0] -eq 'PostureSync.HealthReport' })
        $events = @($Live | Where-Object { $_.PSObject.TypeNames[0] -eq 'PostureSync.DartSyncEvent' })
        $daclTests = @($Live | Where-Object { $_.PSObject.TypeNames[0] -eq 'PostureSync.DaclTestResult' })
        foreach ($page in $shown) {
            $page.rows | Should -Be $reports.Count
            $page.timelines | Should -Be @($events.BundlePath | Sort-Object -Unique).Count
            $page.events | Should -Be $events.Count
            @($page.sections) | Should -Be @("Port tests: $($Ports.Count)", "dACL tests: $($daclTests.Count)", "ISE dACL audit: $($Audits.Count)")
        }
        $shown[1].text | Should -BeExactly $shown[0].text
    }
}
