# Get-DartSyncEvents speed and memory on a synthetic posture log (issue 3 targets):
#   default run >= 5x faster than Select-String -SimpleMatch on the same function names, on the usual log (~5% of
#   records are events) and on an event-dense one (60% of lines Discovery/ConfigLoaded events, issue 15), where the
#   cost per written event decides,
#   default run >= 0.5x the MB/s of a plain C# StreamReader line count,
#   peak memory for a 500 MB log <= 50 MB above that for a 10 MB log (each measured in its own child pwsh).
# -All is measured and printed too; every figure is a plain line.
$ErrorActionPreference = 'Stop'
Import-Module $env:POSTURESYNC_MODULE -Force

Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Text;

public static class DartBenchLog
{
    // Synthetic records in the documented format: about 5% from the state-sync story, the rest ordinary agent chatter.
    private static readonly string[] Chatter =
    {
        "Authenticator::authenticate|Authenticator.cpp|info|Authentication attempt {0} for user domain\\user{1}",
        "SwiftManager::checkCompliance|SwiftManager.cpp|debug|Checking requirement {1}: AV definitions are {0} days old",
        "Requirement::evaluate|Requirement.cpp|info|Requirement 'Win_AV_Check_{1}' evaluated, result {0}",
        "NetworkMonitor::onInterfaceChange|NetworkMonitor.cpp|debug|Interface {1} state changed, addresses refreshed ({0})",
        "CertStore::verify|CertStore.cpp|info|Verifying server certificate chain, depth {0}, issuer CN=Example Issuing CA {1}",
        "UIManager::showNotification|UIManager.cpp|debug|Notification queued id={0} type={1}",
        "OpswatHelper::getProductInfo|OpswatHelper.cpp|debug|Product info: vendor id {0}, product id {1}, definitions current",
        "Scheduler::tick|Scheduler.cpp|debug|Timer {1} fired after {0} ms",
    };

    private static readonly string[] Story =
    {
        "Authenticator::sendUIStatus|Authenticator.cpp|info|Posture status: Compliant",
        "PeriodicProbe::ProcessMessage|PeriodicProbe.cpp|info|Starting state sync probe, interval {0} seconds",
        "PeriodicProbe::sessionSyncProbe|PeriodicProbe.cpp|info|Probing PSN psn{1}.example.com on port 8449",
        "HttpConnection::MakeRequest|HttpConnection.cpp|info|GET https://psn{1}.example.com:8449/ (timeout {0})",
        "dump_http_headers|hs_http.c|debug|Response headers:\nHTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: {0}",
        "SwiftHttpRunner::restartDiscovery|SwiftHttpRunner.cpp|info|Restarting discovery ({0})",
        "SwiftHttpRunner::processMessage|SwiftHttpRunner.cpp|info|Discovery message {0} handled",
        "hs_transport_free|hs_transport.c|debug|transport {0} freed",
        "SwiftManager::loadXMLCfgFile|SwiftManager.cpp|info|Loaded ISEPostureCFG.xml, StateSyncProbeInterval={0}",
    };

    // What dominates a real agent log: discovery rounds and profile reloads, each of them an event.
    private static readonly string[] Discovery =
    {
        "SwiftHttpRunner::processMessage|SwiftHttpRunner.cpp|info|Discovery message {0} handled",
        "SwiftHttpRunner::sendDiscoveryProbe|SwiftHttpRunner.cpp|debug|Probing discovery host 10.{1}.0.{0} for redirection",
        "SwiftHttpRunner::collectNoMntTargets|SwiftHttpRunner.cpp|info|Redirectionless discovery targets: psn{1}.example.com:8443, {0} in list",
        "SwiftHttpRunner::onTimer|SwiftHttpRunner.cpp|debug|Discovery timer fired after {0} ms, round {1}",
        "SwiftManager::loadXMLCfgFile|SwiftManager.cpp|info|Loaded ISEPostureCFG.xml, StateSyncProbeInterval={0}",
    };

    public static void Write(string path, long bytes, int seed) => Write(path, bytes, seed, 0);

    /// <summary>A log of about <paramref name="bytes"/> where <paramref name="discoveryPercent"/>% of lines are Discovery/ConfigLoaded events and the rest the usual mix.</summary>
    public static void Write(string path, long bytes, int seed, int discoveryPercent)
    {
        var random = new Random(seed);
        var time = new DateTime(2022, 11, 9, 8, 0, 0);
        long written = 0;
        var line = new StringBuilder(512);
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            while (written < bytes)
            {
                time = time.AddMilliseconds(random.Next(0, 900));
                bool discovery = random.Next(100) < discoveryPercent;
                bool sync = discovery || random.Next(100) < 5;
                string[] parts = (discovery ? Discovery[random.Next(Discovery.Length)] : sync ? Story[random.Next(Story.Length)] : Chatter[random.Next(Chatter.Length)]).Split('|');
                string severity = sync && parts[0].EndsWith("sessionSyncProbe", StringComparison.Ordinal) && random.Next(50) == 0 ? "Error" : (random.Next(40) == 0 ? "Warning" : "Information");
                line.Clear();
                line.Append(time.ToString("yyyy/MM/dd HH:mm:ss")).Append(" [").Append(severity).Append("] aciseagent Function: ").Append(parts[0])
                    .Append(" Thread Id: 0x").Append(random.Next(0x100, 0x3000).ToString("X"))
                    .Append(" File: ").Append(parts[1]).Append(" Line: ").Append(random.Next(20, 2000))
                    .Append(" Level: ").Append(severity == "Error" ? "error" : parts[2]).Append(" :: ")
                    .AppendFormat(parts[3], random.Next(1, 1000), random.Next(1, 4)).Append('\n');
                string text = line.ToString();
                writer.Write(text);
                written += text.Length;
            }
        }
    }

    public static long CountLines(string path)
    {
        long lines = 0;
        using (var reader = new StreamReader(path))
        {
            while (reader.ReadLine() != null)
            {
                lines++;
            }
        }

        return lines;
    }
}
'@

$work = Join-Path ([IO.Path]::GetTempPath()) ("posturesync-dart-bench-" + [Guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null
$failed = $false
try {
    $log10 = Join-Path $work 'AnyConnect_ISEPosture.10MB.txt'
    $log100 = Join-Path $work 'AnyConnect_ISEPosture.100MB.txt'
    $log500 = Join-Path $work 'AnyConnect_ISEPosture.500MB.txt'
    [DartBenchLog]::Write($log10, 10MB, 42)
    [DartBenchLog]::Write($log100, 100MB, 42)
    [DartBenchLog]::Write($log500, 500MB, 42)
    $dense100 = Join-Path $work 'AnyConnect_ISEPosture.dense100MB.txt'
    [DartBenchLog]::Write($dense100, 100MB, 42, 60)
    $mb = (Get-Item $log100).Length / 1MB
    $names = 'sendUIStatus', 'ProcessMessage', 'sessionSyncProbe', 'MakeRequest', 'dump_http_headers', 'restartDiscovery', 'SwiftHttpRunner::', 'hs_transport_', 'loadXMLCfgFile'

    # One untimed pass of each contender over the same log warms the JIT and the file cache alike, so the timed
    # runs compare steady states. Every contender's output is collected the same way (into an array).
    $null = [DartBenchLog]::CountLines($log100)
    $null = @(Get-DartSyncEvents -Path $log100)
    $null = @(Get-DartSyncEvents -Path $log100 -All)
    $null = @(Select-String -Path $log100 -SimpleMatch -Pattern $names)

    # The median of three runs, so one stall of a shared machine does not decide a ratio.
    function Measure-Run([string] $Name, [scriptblock] $Run) {
        $count = 0
        $times = foreach ($i in 1..3) { Measure-Command { $count = & $Run } }
        $time = ($times | Sort-Object TotalSeconds)[1]
        $rate = $mb / $time.TotalSeconds
        [pscustomobject]@{
            Seconds = $time.TotalSeconds
            Rate    = $rate
            Line    = '{0,-44} {1,10:N0} items {2,8:N2} s {3,9:N1} MB/s' -f $Name, $count, $time.TotalSeconds, $rate
        }
    }

    "Log: $([math]::Round($mb, 1)) MB, $([DartBenchLog]::CountLines($log100)) lines (synthetic, ~5% state-sync records)"
    $lineCount = Measure-Run 'C# StreamReader line count' { [DartBenchLog]::CountLines($log100) }
    $default = Measure-Run 'Get-DartSyncEvents' { @(Get-DartSyncEvents -Path $log100).Count }
    $all = Measure-Run 'Get-DartSyncEvents -All' { @(Get-DartSyncEvents -Path $log100 -All).Count }
    $select = Measure-Run 'Select-String -SimpleMatch (function names)' { @(Select-String -Path $log100 -SimpleMatch -Pattern $names).Count }
    $lineCount.Line, $default.Line, $all.Line, $select.Line

    $vsSelect = $select.Seconds / $default.Seconds
    $vsLines = $default.Rate / $lineCount.Rate
    'Get-DartSyncEvents vs Select-String: {0:N1}x faster (target >= 5x)' -f $vsSelect
    'Get-DartSyncEvents vs line count: {0:N2}x (target >= 0.5x)' -f $vsLines
    'Get-DartSyncEvents -All vs Select-String: {0:N1}x faster; vs line count: {1:N2}x' -f ($select.Seconds / $all.Seconds), ($all.Rate / $lineCount.Rate)
    if ($vsSelect -lt 5) { 'MISSED: default run is not 5x faster than Select-String'; $failed = $true }
    if ($vsLines -lt 0.5) { 'MISSED: default run is below 0.5x the line count'; $failed = $true }

    # The event-dense log: most of the default run's time is spent per event written, not per byte scanned.
    $null = @(Get-DartSyncEvents -Path $dense100)
    $null = @(Select-String -Path $dense100 -SimpleMatch -Pattern $names)
    "Event-dense log: $([math]::Round((Get-Item $dense100).Length / 1MB, 1)) MB, $([DartBenchLog]::CountLines($dense100)) lines (60% Discovery/ConfigLoaded events)"
    $denseDefault = Measure-Run 'Get-DartSyncEvents (event-dense)' { @(Get-DartSyncEvents -Path $dense100).Count }
    $denseSelect = Measure-Run 'Select-String -SimpleMatch (event-dense)' { @(Select-String -Path $dense100 -SimpleMatch -Pattern $names).Count }
    $denseDefault.Line, $denseSelect.Line
    $denseVsSelect = $denseSelect.Seconds / $denseDefault.Seconds
    'Get-DartSyncEvents vs Select-String on the event-dense log: {0:N1}x faster (target >= 5x)' -f $denseVsSelect
    if ($denseVsSelect -lt 5) { 'MISSED: default run on the event-dense log is not 5x faster than Select-String'; $failed = $true }

    # Peak memory, each run in a fresh pwsh so nothing is shared, with the runtime's default GC settings (the target),
    # and again with the young generation fixed at 16 MB (DOTNET_GCgen0size), which shows what the command itself
    # holds whatever the machine's cache-sized default budget is.
    . (Join-Path $PSScriptRoot '../Pester/Support/ChildPwsh.ps1')
    function Get-PeakMB([string] $Path, [string] $Switches, [hashtable] $Environment = @{}) {
        $command = "`$ErrorActionPreference = 'Stop'; Import-Module '$env:POSTURESYNC_MODULE'; `$n = (Get-DartSyncEvents -LiteralPath '$Path' $Switches | Measure-Object).Count; [Console]::Out.WriteLine(((Get-Process -Id `$PID).PeakWorkingSet64 / 1MB).ToString('F1', [Globalization.CultureInfo]::InvariantCulture))"
        $run = Invoke-ChildPwsh -Command $command -Environment $Environment
        if ($run.ExitCode -ne 0) { throw "Child pwsh failed: $($run.Output -join "`n")" }
        [double]::Parse(@($run.Output)[-1], [Globalization.CultureInfo]::InvariantCulture)
    }

    $capped = @{ DOTNET_GCgen0size = '0x1000000' }
    foreach ($switches in '', '-All') {
        $label = if ($switches) { 'Get-DartSyncEvents -All' } else { 'Get-DartSyncEvents' }
        $small = Get-PeakMB $log10 $switches
        $large = Get-PeakMB $log500 $switches
        '{0} peak working set, default GC: 10 MB log {1:N1} MB, 500 MB log {2:N1} MB, difference {3:N1} MB (target <= 50 MB)' -f $label, $small, $large, ($large - $small)
        if (($large - $small) -gt 50) { "MISSED: $label memory grows by more than 50 MB"; $failed = $true }
        $cappedSmall = Get-PeakMB $log10 $switches $capped
        $cappedLarge = Get-PeakMB $log500 $switches $capped
        '{0} peak working set, gen0 fixed at 16 MB: 10 MB log {1:N1} MB, 500 MB log {2:N1} MB, difference {3:N1} MB' -f $label, $cappedSmall, $cappedLarge, ($cappedLarge - $cappedSmall)
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

if ($failed) { exit 1 }
