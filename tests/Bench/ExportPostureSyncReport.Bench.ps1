# Export-PostureSyncReport at fleet scale (issue 12): 10,000 health reports with 3 findings each and 50,000 state-sync
# events (5 per endpoint, as remoting hands them back: Deserialized.PostureSync.DartSyncEvent read by property name).
# Prints the time to write the page, its size, and the time headless Chromium takes to load it (its --dump-dom run on
# the page minus the same run on an empty page, so browser start-up is not counted), and checks that the loaded DOM
# holds every row. Targets: write <= 60 s, page <= 40 MB, Chromium load <= 30 s (generous: a shared 2-core machine).
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force

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
    'Page size: {0:N1} MB (target <= 40 MB)' -f ($size / 1MB)
    if ($write.TotalSeconds -gt 60) { 'MISSED: writing took more than 60 s'; $failed = $true }
    if ($size -gt 40MB) { 'MISSED: the page is larger than 40 MB'; $failed = $true }

    $chromium = $env:POSTURESYNC_CHROMIUM
    if (-not $chromium) {
        $chromium = 'chromium-headless-shell', 'chromium', 'chromium-browser', 'google-chrome' | ForEach-Object { Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue } |
            Select-Object -First 1 -ExpandProperty Source
    }
    if (-not $chromium) { 'Chromium load: skipped, no headless Chromium on this machine (.ci/run installs Debian''s chromium as root)' }
    else {
        $empty = Join-Path $folder 'empty.html'
        Set-Content -LiteralPath $empty -Value '<!DOCTYPE html><title>empty</title>'
        function Measure-Load([string] $File, [string] $Dump) {
            $userData = Join-Path $folder ('profile-' + [guid]::NewGuid().ToString('N'))
            $url = ([uri] $File).AbsoluteUri
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            & $chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update `
                --disable-sync --host-resolver-rules='MAP * ~NOTFOUND , EXCLUDE 127.0.0.1' "--user-data-dir=$userData" --timeout=240000 --dump-dom $url 2>$null > $Dump
            $watch.Stop()
            if ($LASTEXITCODE -ne 0) { throw "Chromium exited with $LASTEXITCODE on $File" }
            $watch.Elapsed.TotalSeconds
        }
        $baseline = Measure-Load $empty (Join-Path $folder 'empty.dom')
        $dumpFile = Join-Path $folder 'fleet.dom'
        $loaded = Measure-Load $page $dumpFile
        $rows = ([regex]::Matches((Get-Content -LiteralPath $dumpFile -Raw), '<tr class="report ')).Count
        'Chromium load: {0:N1} s ({1:N1} s for the page, {2:N1} s for an empty page) (target <= 30 s); rows in the DOM: {3:N0}' -f ($loaded - $baseline), $loaded, $baseline, $rows
        if ($rows -ne $reports) { "MISSED: the DOM holds $rows report rows, not $reports"; $failed = $true }
        if ($loaded - $baseline -gt 30) { 'MISSED: Chromium took more than 30 s to load the page'; $failed = $true }
    }
}
finally {
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}
if ($failed) { exit 1 }
