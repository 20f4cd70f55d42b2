# Export-PostureSyncReport at fleet scale (issue 12): 10,000 health reports with 3 findings each and 50,000 state-sync
# events (5 per endpoint, as remoting hands them back: Deserialized.PostureSync.DartSyncEvent read by property name).
# Prints the time to write the page, its size, and the time headless Chromium takes to load it, measured over DevTools
# in an already running browser (the page's own navigation timing: DOMContentLoaded, load event, first paint), then
# checks that the loaded DOM holds every row and that the filter box finds one endpoint among them.
# Targets: write <= 60 s, page <= 15 MB (only the worst 100 timelines are drawn), Chromium load event <= 30 s
# (generous: a shared 2-core machine).
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force
. (Join-Path $PSScriptRoot '../Pester/Support/HeadlessChromium.ps1')

$reports = 10000
$eventsPerEndpoint = 5
$folder = Join-Path ([System.IO.Path]::GetTempPath()) ("posturesync-report-bench-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $folder | Out-Null
$failed = $false
try {
    $statuses = 'Healthy', 'Healthy', 'Healthy', 'Degraded', 'Unhealthy', 'Unknown'
    $start = [datetime]'2026-11-20 09:00:00'
    $objects = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $reports; $i++) {
        $name = 'pc-{0:D5}' -f $i
        $report = [PostureSync.HealthReport]::new()
        $report.Endpoint = $name; $report.Source = 'Live'; $report.CheckedAt = $start.AddSeconds($i)
        $report.Status = $statuses[$i % $statuses.Count]; $report.PostureStatus = 'Compliant'; $report.StateSyncEnabled = $true
        $report.ChecksPassed = 4; $report.ChecksFailed = $i % 3; $report.NeedsAgentRestart = ($i % 11 -eq 0)
        $report.Findings = @(
            "Profile Warning: $name probes every 30 s -> nothing to do",
            "Port Error: TCP 8449 on 10.1.1.$($i % 250) is open while Compliant -> add 'deny tcp any host 10.1.1.$($i % 250) eq 8449' to the Compliant dACL",
            "Log Error: the agent logged a state-sync error at 2026-11-20 09:15:40 -> fix the dACL first, then restart the agent (Restart-PostureAgent)")
        $objects.Add($report)
        for ($e = 0; $e -lt $eventsPerEndpoint; $e++) {
            $type = 'PostureStatus', 'SyncProbe', 'SyncProbeError', 'DiscoveryRestart', 'HttpRequest' | Select-Object -Index $e
            $item = [pscustomobject]@{
                PSTypeName = 'Deserialized.PostureSync.DartSyncEvent'; PSComputerName = $name; TimeCreated = $start.AddMinutes($e * 7).AddSeconds($i % 60)
                EventType = $type; Severity = 'Information'; PostureStatus = $(if ($e -eq 0) { 'Compliant' }); LineNumber = 100 + $e
                Message = "PeriodicProbe::sessionSyncProbe probing https://10.1.1.$($i % 250):8449/auth/ng-discovery (attempt $e)"
            }
            $objects.Add($item)
        }
    }

    $page = Join-Path $folder 'fleet.html'
    $write = Measure-Command { $objects | Export-PostureSyncReport -Path $page -Title 'Bench fleet' }
    $size = (Get-Item -LiteralPath $page).Length
    'Export-PostureSyncReport, {0:N0} reports x 3 findings + {1:N0} events: write {2:N1} s (target <= 60 s)' -f $reports, ($reports * $eventsPerEndpoint), $write.TotalSeconds
    'Page size: {0:N1} MB (target <= 15 MB)' -f ($size / 1MB)
    if ($write.TotalSeconds -gt 60) { 'MISSED: writing took more than 60 s'; $failed = $true }
    if ($size -gt 15MB) { 'MISSED: the page is larger than 15 MB'; $failed = $true }

    $chromium = Find-HeadlessChromium
    if (-not $chromium.Path) { "Chromium load: skipped, $($chromium.Skip)" }
    else {
        $browser = Start-HeadlessChromium $chromium.Path -TimeoutSec 300
        try {
            $null = Invoke-DevTools $browser 'Page.enable'
            Open-DevToolsPage $browser 'about:blank'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            Open-DevToolsPage $browser (Get-FileUrl $page)
            $watch.Stop()
            # The page's own clock, from navigation start: parsed (DOMContentLoaded), loaded, and first drawn.
            $timing = Get-DevToolsValue $browser @"
(() => { const n = performance.getEntriesByType('navigation')[0], p = performance.getEntriesByName('first-contentful-paint')[0];
  return { ready: n.domContentLoadedEventEnd, load: n.loadEventEnd, paint: p ? p.startTime : -1,
           rows: document.querySelectorAll('#endpoints tr.report').length, timelines: document.querySelectorAll('#timelines details.timeline').length,
           notDrawn: (document.getElementById('timelines-not-drawn') || { textContent: '' }).textContent,
           nodes: document.getElementsByTagName('*').length }; })()
"@
            # Usable: one keystroke in the filter box, timed to the next layout.
            $filter = Get-DevToolsValue $browser @"
(() => { const t = performance.now(), box = document.getElementById('filter'); box.value = 'pc-05000'; box.dispatchEvent(new Event('input'));
  document.body.offsetHeight; return { ms: performance.now() - t, shown: document.querySelectorAll('#endpoints tr.report:not([hidden])').length }; })()
"@
        }
        finally { Stop-HeadlessChromium $browser }
        'Chromium load (DevTools, page clock from navigation start): DOMContentLoaded {0:N1} s, load event {1:N1} s, first paint {2:N1} s; navigate to load event {3:N1} s wall (target <= 30 s)' -f ($timing.ready / 1000), ($timing.load / 1000), ($timing.paint / 1000), $watch.Elapsed.TotalSeconds
        'DOM: {0:N0} report rows, {1:N0} timelines drawn, {2:N0} elements; a filter keystroke takes {3:N0} ms and leaves {4} row' -f $timing.rows, $timing.timelines, $timing.nodes, $filter.ms, $filter.shown
        if ($timing.rows -ne $reports) { "MISSED: the DOM holds $($timing.rows) report rows, not $reports"; $failed = $true }
        if ($timing.timelines -ne 100 -or $timing.notDrawn -notmatch '^9,900 more timelines are not drawn') { "MISSED: $($timing.timelines) timelines drawn; the note says '$($timing.notDrawn)'"; $failed = $true }
        if ($filter.shown -ne 1) { "MISSED: filtering for one endpoint leaves $($filter.shown) rows"; $failed = $true }
        if ($timing.load / 1000 -gt 30) { 'MISSED: Chromium took more than 30 s to load the page'; $failed = $true }
    }
}
finally {
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}
if ($failed) { exit 1 }
