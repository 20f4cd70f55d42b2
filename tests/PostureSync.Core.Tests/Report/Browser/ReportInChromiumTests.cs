using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Report;
using Xunit;

namespace PostureSync.Core.Tests.Report.Browser
{
    /// <summary>The page as a person sees it: rendered by a real headless Chromium, driven over DevTools on loopback.</summary>
    public sealed class ReportInChromiumTests : IAsyncLifetime
    {
        private const int FleetSize = 450;
        private static readonly string[] StatusOrder = { "unhealthy", "degraded", "unknown", "healthy" };

        private readonly string folder = Directory.CreateTempSubdirectory("posturesync-report-browser-").FullName;
        private HeadlessChromium browser = null!;

        public async Task InitializeAsync()
        {
            browser = await HeadlessChromium.StartAsync(HeadlessChromium.Find().Path!);
            await browser.SendAsync("Network.enable");
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 800, deviceScaleFactor = 1, mobile = false });
        }

        public async Task DisposeAsync()
        {
            await browser.DisposeAsync();
            Directory.Delete(folder, true);
        }

        [ChromiumFact]
        public async Task The_fleet_page_has_one_row_per_report_worst_first_the_summary_counts_match_and_it_fetches_nothing()
        {
            ReportDocument fleet = ReportSamples.Fleet(FleetSize, 4);
            string url = Write(fleet, "fleet.html");

            await browser.NavigateAsync(url);

            JsonElement rows = await browser.EvaluateAsync(
                "[...document.querySelectorAll('#endpoints tr.report')].map(r => ({ status: r.dataset.status, name: r.querySelector('.endpoint').textContent, failed: Number(r.cells[7].textContent) }))");
            var shown = rows.EnumerateArray().Select(r => (Status: r.GetProperty("status").GetString()!, Name: r.GetProperty("name").GetString()!, Failed: r.GetProperty("failed").GetInt32())).ToList();
            Assert.Equal(FleetSize, shown.Count);
            Assert.Equal(fleet.Endpoints.Select(e => e.Endpoint).OrderBy(n => n), shown.Select(r => r.Name).OrderBy(n => n));
            for (int i = 1; i < shown.Count; i++)
            {
                int before = Array.IndexOf(StatusOrder, shown[i - 1].Status), now = Array.IndexOf(StatusOrder, shown[i].Status);
                Assert.True(before < now || (before == now && shown[i - 1].Failed >= shown[i].Failed), $"row {i + 1} ({shown[i].Name}, {shown[i].Status}) is worse than the row above it");
            }

            JsonElement summary = await browser.EvaluateAsync(
                "Object.fromEntries([...document.querySelectorAll('#status-counts tbody tr')].map(r => [r.dataset.status, Number(r.querySelector('.count').textContent.replace(/,/g, ''))]))");
            foreach (string status in StatusOrder)
            {
                int expected = fleet.Endpoints.Count(e => e.Status.Equals(status, StringComparison.OrdinalIgnoreCase));
                Assert.Equal(expected, summary.GetProperty(status).GetInt32());
                Assert.Equal(expected, shown.Count(r => r.Status == status));
            }

            // The policy lets the page's own style and script through: the tools appear, the badges are coloured.
            Assert.False((await browser.EvaluateAsync("document.getElementById('tools').hidden")).GetBoolean());
            Assert.Equal("rgb(179, 38, 30)", (await browser.EvaluateAsync("getComputedStyle(document.querySelector('tr.st-unhealthy .badge')).backgroundColor")).GetString());
            string target = shown[FleetSize / 2].Name;
            JsonElement filtered = await browser.EvaluateAsync(
                $"(() => {{ const box = document.getElementById('filter'); box.value = '{target}'; box.dispatchEvent(new Event('input')); return [...document.querySelectorAll('#endpoints tr.report')].filter(r => !r.hidden).map(r => r.querySelector('.endpoint').textContent); }})()");
            Assert.Equal(new[] { target }, filtered.EnumerateArray().Select(e => e.GetString()));

            Assert.Equal(new[] { url }, browser.Events("Network.requestWillBeSent").Select(e => e.GetProperty("request").GetProperty("url").GetString()).Distinct());

            await browser.EvaluateAsync("(() => { const box = document.getElementById('filter'); box.value = ''; box.dispatchEvent(new Event('input')); })()");
            byte[] png = await browser.ScreenshotAsync();
            Assert.Equal((1280, 800), PngSize(png));
            string screenshot = Path.Combine(OutFolder(), "report-screenshot.png");
            File.WriteAllBytes(screenshot, png);
            File.Copy(Path.Combine(folder, "fleet.html"), Path.Combine(OutFolder(), "report-screenshot.html"), true);
        }

        [ChromiumFact]
        public async Task Hostile_findings_and_messages_run_nothing_and_fetch_nothing()
        {
            using var listener = new LoopbackListener();
            string bait = $"http://127.0.0.1:{listener.Port}";
            string[] hostile = ReportSamples.Hostile.Concat(new[]
            {
                $"<script src=\"{bait}/script.js\"></script><script>fetch('{bait}/inline')</script>",
                $"\"><img src=\"{bait}/img\" onerror=\"fetch('{bait}/onerror')\">",
                $"javascript:fetch('{bait}/javascript')",
                $"</style><style>@import url({bait}/import); body{{background:url({bait}/background)}}</style>",
                $"<link rel=stylesheet href=\"{bait}/link\"><iframe src=\"{bait}/frame\"></iframe>",
                $"<meta http-equiv=\"refresh\" content=\"0;url={bait}/refresh\">",
                $"<svg><image href=\"{bait}/svg\"/><script>fetch('{bait}/svgscript')</script></svg>",
            }).ToArray();
            var document = new ReportDocument { Title = hostile[0], ModuleVersion = "1.0.0", GeneratedAt = DateTime.UtcNow };
            foreach (string text in hostile)
            {
                document.Endpoints.Add(new ReportEndpoint { Endpoint = text, Source = text, Status = text, PostureStatus = text, Findings = new[] { $"Log Error: {text} -> {text}" } });
                document.Events.Add(new ReportEvent { EndpointKey = text, TimeCreated = DateTime.Now, EventType = "SyncProbeError", Severity = text, Message = text });
            }

            var ise = new ReportTable(hostile[4], hostile, hostile[5]);
            ise.Rows.Add(hostile);
            document.Tables.Add(ise);
            string url = Write(document, "hostile.html");

            await browser.NavigateAsync(url);
            await Task.Delay(TimeSpan.FromSeconds(2));

            Assert.Equal(JsonValueKind.Undefined, (await browser.EvaluateAsync("window.__pwned")).ValueKind);
            Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('img, image, iframe, link, object, embed, meta[http-equiv=refresh]').length")).GetInt32());
            Assert.Equal(1, (await browser.EvaluateAsync("document.scripts.length")).GetInt32());
            Assert.False((await browser.EvaluateAsync("[...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)))")).GetBoolean());
            Assert.Equal(hostile[0], (await browser.EvaluateAsync("document.title")).GetString());
            string shownText = (await browser.EvaluateAsync("document.body.textContent")).GetString()!;
            foreach (string value in hostile)
            {
                Assert.Contains(value, shownText);
            }

            Assert.Equal(new[] { url }, browser.Events("Network.requestWillBeSent").Select(e => e.GetProperty("request").GetProperty("url").GetString()).Distinct());
            Assert.Equal(0, listener.Connections);

            // The control: the same browser does fetch from the listener when markup is not encoded, so the zero above means something.
            File.WriteAllText(Path.Combine(folder, "control.html"), $"<!DOCTYPE html><title>control</title><img src=\"{bait}/control\">");
            await browser.NavigateAsync(new Uri(Path.Combine(folder, "control.html")).AbsoluteUri);
            Assert.True(listener.WaitForConnection(HeadlessChromium.Timeout), "the control page's image request never reached the loopback listener");
        }

        [ChromiumFact]
        public async Task Without_script_the_page_still_shows_every_row_and_finding_and_hides_only_the_tools()
        {
            ReportDocument fleet = ReportSamples.Fleet(FleetSize, 1);
            string url = Write(fleet, "noscript.html");
            await browser.SendAsync("Emulation.setScriptExecutionDisabled", new { value = true });

            await browser.NavigateAsync(url);

            int root = (await browser.SendAsync("DOM.getDocument", new { depth = 0 })).GetProperty("root").GetProperty("nodeId").GetInt32();
            async Task<int> Count(string selector) =>
                (await browser.SendAsync("DOM.querySelectorAll", new { nodeId = root, selector })).GetProperty("nodeIds").GetArrayLength();
            Assert.Equal(FleetSize, await Count("#endpoints tr.report"));
            Assert.Equal(FleetSize * 3, await Count("#endpoints ul.findings li"));
            Assert.Equal(fleet.Endpoints.Count(e => e.Findings.Length > 0) * 3, await Count("#endpoints .todo"));
            Assert.Equal(1, await Count("#tools[hidden]"));
            Assert.Equal(1, await Count("#endpoints details.page[open]"));
            Assert.Equal(HtmlReportRenderer.MaxTimelines, await Count("#timelines details.timeline"));
            Assert.Equal(1, await Count("#timelines-not-drawn"));
        }

        private string Write(ReportDocument document, string name)
        {
            string path = Path.Combine(folder, name);
            ReportFile.Write(document, path, noClobber: false, force: false);
            return new Uri(path).AbsoluteUri;
        }

        /// <summary>out/ at the repository root, where a person looks for the screenshot.</summary>
        private static string OutFolder()
        {
            DirectoryInfo? at = new DirectoryInfo(AppContext.BaseDirectory);
            while (at != null && !File.Exists(Path.Combine(at.FullName, "PostureSync.psd1")))
            {
                at = at.Parent;
            }

            string root = at?.FullName ?? throw new InvalidOperationException("The repository root (PostureSync.psd1) is not above " + AppContext.BaseDirectory);
            return Directory.CreateDirectory(Path.Combine(root, "out")).FullName;
        }

        private static (int Width, int Height) PngSize(byte[] png)
        {
            Assert.True(png.Length > 24 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a PNG");
            int Read(int at) => (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            return (Read(16), Read(20));
        }

        /// <summary>A TCP listener on loopback that counts who connects: the address hostile content points at.</summary>
        private sealed class LoopbackListener : IDisposable
        {
            private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly SemaphoreSlim connected = new SemaphoreSlim(0);
            private int connections;

            public LoopbackListener()
            {
                listener.Start();
                _ = AcceptAsync();
            }

            public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

            public int Connections => Volatile.Read(ref connections);

            public bool WaitForConnection(TimeSpan timeout) => connected.Wait(timeout);

            public void Dispose()
            {
                listener.Stop();
                connected.Dispose();
            }

            private async Task AcceptAsync()
            {
                try
                {
                    while (true)
                    {
                        using TcpClient client = await listener.AcceptTcpClientAsync();
                        Interlocked.Increment(ref connections);
                        connected.Release();
                    }
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
                {
                    // Stopped at the end of the test.
                }
            }
        }
    }
}
