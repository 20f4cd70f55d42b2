using System;
using PostureSync.Core.Report;

namespace PostureSync.Core.Tests.Report
{
    /// <summary>Documents for the renderer tests, the browser tests and the benchmark's shape.</summary>
    internal static class ReportSamples
    {
        /// <summary>What an attacker can write into a log or a bundle, in the shapes that break out of each HTML context.</summary>
        public static readonly string[] Hostile =
        {
            "<script>window.__pwned='script'</script>",
            "\"><img src=x onerror=\"window.__pwned='img'\">",
            "javascript:window.__pwned='url'",
            "</style><style>body{background:url(x)}</style>",
            "'><svg onload=window.__pwned='svg'>",
            "</title><script>window.__pwned='title'</script>",
            "]]><!-- --><a href=\"javascript:alert(1)\">x</a>",
        };

        public static ReportEndpoint Endpoint(string name, string status, int failed = 0, bool restart = false, params string[] findings) => new ReportEndpoint
        {
            Endpoint = name,
            Source = "/bundles/" + name + ".zip",
            CheckedAt = new DateTime(2026, 11, 20, 9, 15, 0, DateTimeKind.Utc),
            Status = status,
            PostureStatus = "Compliant",
            StateSyncEnabled = true,
            NeedsAgentRestart = restart,
            ChecksPassed = 5 - failed,
            ChecksFailed = failed,
            Findings = findings,
        };

        /// <summary>A fleet of the given size with every status, 3 findings each, in no particular order.</summary>
        public static ReportDocument Fleet(int reports, int eventsPerEndpoint)
        {
            var document = new ReportDocument { Title = "Fleet", ModuleVersion = "9.8.7", GeneratedAt = new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc) };
            string[] statuses = { "Healthy", "Unhealthy", "Degraded", "Unknown", "Healthy", "Healthy" };
            var random = new Random(12);
            for (int i = 0; i < reports; i++)
            {
                string status = statuses[random.Next(statuses.Length)];
                int failed = status == "Healthy" ? 0 : random.Next(1, 4);
                document.Endpoints.Add(Endpoint(
                    $"pc-{i:D5}",
                    status,
                    failed,
                    status == "Unhealthy" && i % 2 == 0,
                    "Profile Warning: the probe interval is 30 s -> nothing to do",
                    "Port Error: TCP 8449 on 10.1.1.1 is open while Compliant -> add 'deny tcp any host 10.1.1.1 eq 8449' to the Compliant dACL",
                    "Log Error: the agent logged a state-sync error -> restart the agent (Restart-PostureAgent)"));
                for (int e = 0; e < eventsPerEndpoint; e++)
                {
                    document.Events.Add(new ReportEvent
                    {
                        EndpointKey = $"/bundles/pc-{i:D5}.zip",
                        TimeCreated = new DateTime(2026, 11, 20, 9, 0, 0).AddSeconds((e * 30) + random.Next(10)),
                        EventType = (e % 5) switch { 0 => "PostureStatus", 1 => "SyncProbe", 2 => "SyncProbeError", 3 => "DiscoveryRestart", _ => "HttpRequest" },
                        Severity = "Information",
                        PostureStatus = e % 5 == 0 ? "Compliant" : null,
                        Message = "sessionSyncProbe: probing https://10.1.1.1:8449/auth/ng-discovery",
                        LineNumber = e + 1,
                    });
                }
            }

            return document;
        }
    }
}
