using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using CsCheck;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;
using PostureSync.Core.Health;
using PostureSync.Core.Net;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Health
{
    /// <summary>The health check streams the log and keeps only what the verdict reads; the verdict must not change.</summary>
    public sealed class LogDigestTests
    {
        private static readonly DateTime Start = new DateTime(2024, 2, 14, 0, 0, 0);

        private static readonly string[] Types =
        {
            DartSyncEventTypes.PostureStatus, DartSyncEventTypes.SyncProbeControl, DartSyncEventTypes.SyncProbe,
            DartSyncEventTypes.SyncProbeError, DartSyncEventTypes.Discovery, DartSyncEventTypes.HttpRequest,
        };

        private static readonly string?[] Statuses = { "Compliant", "NonCompliant", "Pending", "Unknown", null };

        [Fact]
        public void TheKeptEventsGiveTheSameVerdictAsTheWholeLog()
        {
            // Fixed-seed sequences of every event type that matters to the verdict, and some that do not.
            Gen<(int Type, int Status)[]> logs = Gen.Select(Gen.Int[0, Types.Length - 1], Gen.Int[0, Statuses.Length - 1]).Array[0, 40];
            var pcg = new PCG(11, 15);
            for (int n = 0; n < 3000; n++)
            {
                List<DartSyncEvent> log = logs.Generate(pcg, null, out _)
                    .Select((pick, i) => new DartSyncEvent { TimeCreated = Start.AddMinutes(i), EventType = Types[pick.Type], PostureStatus = Types[pick.Type] == DartSyncEventTypes.PostureStatus ? Statuses[pick.Status] : null, Message = "event " + i })
                    .ToList();
                foreach (PostureStatus? given in new PostureStatus?[] { null, PostureStatus.Compliant })
                {
                    HealthReport whole = HealthEvaluator.Evaluate(Evidence(log, given));
                    HealthReport kept = HealthEvaluator.Evaluate(Evidence(LogDigest.Keep(log, out long count), given));

                    Assert.Equal(log.Count, count);
                    Assert.True(whole.Status == kept.Status && whole.Findings.SequenceEqual(kept.Findings) && whole.NeedsAgentRestart == kept.NeedsAgentRestart && whole.PostureStatus == kept.PostureStatus,
                        "case " + n + ": " + string.Join(", ", log.Select(e => e.EventType + (e.PostureStatus is null ? string.Empty : "(" + e.PostureStatus + ")"))));
                }
            }
        }

        [Fact]
        public void AnEventDenseBundleIsCheckedHoldingAFewMegabytes()
        {
            // A hundred thousand state-sync events (14 MB); holding every event of such a log took over 600 MB.
            var log = new StringBuilder();
            log.Append("2024/02/14 00:00:00 [Information] aciseagent Function: Authenticator::sendUIStatus Thread Id: 0xC60 File: a.cpp Line: 1 Level: info :: Posture Status: Compliant\n");
            log.Append("2024/02/14 00:00:01 [Information] aciseagent Function: PeriodicProbe::ProcessMessage Thread Id: 0xC60 File: a.cpp Line: 1 Level: info :: start\n");
            const int probes = 100_000;
            for (int i = 0; i < probes; i++)
            {
                // Varied like a real log, so the zip's ratio stays under the bundle bound.
                log.Append("2024/02/14 0").Append(i / 36000 % 10).Append(':').Append((i / 600 % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append((i / 10 % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture))
                    .Append(" [Information] aciseagent Function: PeriodicProbe::sessionSyncProbe Thread Id: 0x").Append((i * 7919 % 65536).ToString("X", System.Globalization.CultureInfo.InvariantCulture))
                    .Append(" File: a.cpp Line: ").Append(i % 977).Append(" Level: info :: probe ").Append(i * 2654435761L % 1000003).Append(" to https://10.1.1.1:8449/\n");
            }

            string folder = Path.Combine(Path.GetTempPath(), "posturesync-digest-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                string bundle = Path.Combine(folder, "dense.zip");
                using (var archive = ZipFile.Open(bundle, ZipArchiveMode.Create))
                {
                    using Stream entry = archive.CreateEntry("AnyConnect_ISEPosture.txt", CompressionLevel.Optimal).Open();
                    byte[] bytes = Encoding.UTF8.GetBytes(log.ToString());
                    entry.Write(bytes, 0, bytes.Length);
                }

                IHostResolver offline = HostResolvers.Offline();
                var check = new HealthCheck(new HealthCheckOptions(), offline, offline, new RecordingReporter());
                long before = GC.GetTotalMemory(forceFullCollection: true);
                // Live memory (after a full collection), sampled while the check runs: what it holds, not its garbage.
                long peak = 0;
                using (var sampler = new System.Threading.Timer(_ => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)), null, 0, 20))
                {
                    BundleHealth outcome = check.CheckBundle(bundle, Start);
                    Assert.NotNull(outcome.Report);
                    Assert.Equal("Compliant", outcome.Report!.PostureStatus);
                }

                Assert.True(peak - before < 8L * 1024 * 1024, "the check held " + (peak - before) + " bytes at its peak");
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static HealthEvidence Evidence(IReadOnlyList<DartSyncEvent> log, PostureStatus? given) => new HealthEvidence
        {
            Endpoint = "pc1",
            Source = "bundle.zip",
            CheckedAt = Start,
            PostureStatusGiven = given,
            Profile = new PostureSyncConfig { Path = "ISEPostureCFG.xml", StateSyncEnabled = true, StateSyncStatus = StateSyncStatuses.Enabled, StateSyncProbeInterval = 30, ProbeTargets = new[] { "psn1.example.test" } },
            Log = log,
        };
    }
}
