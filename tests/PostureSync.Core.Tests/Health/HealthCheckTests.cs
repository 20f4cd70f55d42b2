using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Threading;
using PostureSync.Core.Acl;
using PostureSync.Core.Dart;
using PostureSync.Core.Health;
using PostureSync.Core.Net;
using PostureSync.Core.Platform;
using PostureSync.Core.Probing;
using PostureSync.Core.Tests.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Health
{
    public sealed class HealthCheckTests : IDisposable
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 27, 12, 0, 0);
        private static readonly string SyncOff = Example("endpoint-sync-off.zip");
        private static readonly string Healthy = Example("endpoint-healthy.zip");

        private static readonly HostsFileResolver NoNames = new HostsFileResolver(Array.Empty<KeyValuePair<string, IPAddress>>());

        private readonly string folder = Path.Combine(Path.GetTempPath(), "posturesync-health-" + Guid.NewGuid().ToString("N"));

        public HealthCheckTests() => Directory.CreateDirectory(folder);

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "Examples", name);

        private static HealthCheck Check(RecordingReporter reporter, HealthCheckOptions? options = null, IHostResolver? offline = null) =>
            new HealthCheck(options ?? new HealthCheckOptions(), NoNames, offline ?? NoNames, reporter);

        [Fact]
        public void ABundleWhoseAgentSwitchedSyncOffIsUnhealthyAndAsksForARestart()
        {
            var reporter = new RecordingReporter();

            BundleHealth outcome = Check(reporter).CheckBundle(SyncOff, Now);

            Assert.Null(outcome.Unusable);
            HealthReport report = outcome.Report!;
            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.True(report.NeedsAgentRestart);
            Assert.Equal("Compliant", report.PostureStatus);
            Assert.Equal("endpoint-sync-off", report.Endpoint);
            Assert.Equal(SyncOff, report.Source);
            Assert.Equal(Now, report.CheckedAt);
            Assert.Single(report.Findings, f => f.StartsWith("Log Error: ", StringComparison.Ordinal) && f.Contains("Restart-PostureAgent"));
            Assert.Empty(reporter.Failures);
            Assert.Contains(reporter.VerboseMessages, m => m.StartsWith("Profile check:", StringComparison.Ordinal));
            Assert.Contains(reporter.VerboseMessages, m => m.StartsWith("Log check:", StringComparison.Ordinal));
        }

        [Fact]
        public void TheGivenPostureStatusWinsOverTheLoggedOne()
        {
            HealthReport report = Check(new RecordingReporter(), new HealthCheckOptions { PostureStatus = PostureStatus.Pending }).CheckBundle(Healthy, Now).Report!;

            Assert.Equal("Pending", report.PostureStatus);
            Assert.DoesNotContain(report.Findings, f => f.StartsWith("PostureStatus Information: posture status", StringComparison.Ordinal));
        }

        [Fact]
        public void ADamagedOrNonZipBundleIsATypedRefusalAndTheNextBundleIsStillChecked()
        {
            string notZip = Path.Combine(folder, "not-a-zip.zip");
            File.WriteAllText(notZip, "this is no zip archive");
            byte[] bytes = File.ReadAllBytes(Healthy);
            string truncated = Path.Combine(folder, "truncated.zip");
            File.WriteAllBytes(truncated, bytes.Take(bytes.Length / 2).ToArray());
            var reporter = new RecordingReporter();
            HealthCheck check = Check(reporter);

            BundleHealth[] outcomes = new[] { notZip, truncated, Healthy }.Select(path => check.CheckBundle(path, Now)).ToArray();

            foreach (BundleHealth refused in outcomes.Take(2))
            {
                Assert.Null(refused.Report);
                Assert.Equal(ErrorIds.DartBundleInvalid, refused.Unusable!.ErrorId);
                Assert.Equal(FailureKind.InvalidData, refused.Unusable.Kind);
                Assert.Equal(refused.Path, refused.Unusable.Target);
            }

            Assert.Null(outcomes[2].Unusable);
            Assert.Equal(HealthStatuses.Healthy, outcomes[2].Report!.Status);
        }

        [Fact]
        public void ABundleWithoutItsLogIsUnknownAndSaysSo()
        {
            string noLog = Path.Combine(folder, "no-log.zip");
            using (ZipArchive zip = ZipFile.Open(noLog, ZipArchiveMode.Create))
            using (ZipArchive source = ZipFile.OpenRead(Healthy))
            {
                ZipArchiveEntry profile = source.Entries.Single(e => e.Name == "ISEPostureCFG.xml");
                using Stream from = profile.Open();
                using Stream to = zip.CreateEntry("DART/ISEPostureCFG.xml").Open();
                from.CopyTo(to);
            }

            HealthReport report = Check(new RecordingReporter()).CheckBundle(noLog, Now).Report!;

            Assert.Equal(HealthStatuses.Unknown, report.Status);
            Assert.Single(report.Findings, f => f.StartsWith("Log Warning: the bundle holds no readable agent log (PostureLogNotFound", StringComparison.Ordinal));
        }

        [Fact]
        public void AShareOfZipsIsEachZipAndAnExtractedBundleIsOne()
        {
            string share = Directory.CreateDirectory(Path.Combine(folder, "share")).FullName;
            File.Copy(Healthy, Path.Combine(share, "b.ZIP"));
            File.Copy(SyncOff, Path.Combine(share, "a.zip"));
            File.WriteAllText(Path.Combine(share, "c.zipx"), "not a bundle");
            string extracted = Path.Combine(folder, "extracted");
            ZipFile.ExtractToDirectory(SyncOff, extracted);
            var reporter = new RecordingReporter();
            HealthCheck check = Check(reporter);

            Assert.Equal(new[] { "a.zip", "b.ZIP" }, check.BundlesIn(share).Select(Path.GetFileName));
            Assert.Equal(new[] { extracted }, check.BundlesIn(extracted));
            Assert.Equal(new[] { Healthy }, check.BundlesIn(Healthy));

            HealthReport fromFolder = check.CheckBundle(extracted, Now).Report!;
            Assert.Equal(HealthStatuses.Unhealthy, fromFolder.Status);
            Assert.True(fromFolder.NeedsAgentRestart);
        }

        [Fact]
        public void ProgressNamesEachBundleAndEndsOnce()
        {
            var reporter = new RecordingReporter();
            HealthCheck check = Check(reporter);

            check.CheckBundle(Healthy, Now);
            check.CheckBundle(SyncOff, Now);
            check.Finish();

            Assert.Equal(new[] { $"Bundle 1: {Healthy}", $"Bundle 2: {SyncOff}", "Done" }, reporter.ProgressReports.Select(p => p.Status));
            Assert.Equal(new[] { false, false, true }, reporter.ProgressReports.Select(p => p.Completed));
        }

        [Fact]
        public void TheDaclIsCheckedOfflineOnlyThroughTheNamesGiven()
        {
            var hosts = new HostsFileResolver(new[]
            {
                new KeyValuePair<string, IPAddress>("psn1.example.test", IPAddress.Parse("192.0.2.11")),
                new KeyValuePair<string, IPAddress>("psn2.example.test", IPAddress.Parse("192.0.2.12")),
            });
            AclDocument bad = AclFile.ReadDocument(Example("compliant-bad.txt"), "compliant-bad.txt");
            AclDocument good = AclFile.ReadDocument(Example("compliant-good.txt"), "compliant-good.txt");

            HealthReport badReport = Check(new RecordingReporter(), new HealthCheckOptions { Dacl = bad }, hosts).CheckBundle(Healthy, Now).Report!;
            HealthReport goodReport = Check(new RecordingReporter(), new HealthCheckOptions { Dacl = good }, hosts).CheckBundle(Healthy, Now).Report!;
            HealthReport noNames = Check(new RecordingReporter(), new HealthCheckOptions { Dacl = good }).CheckBundle(Healthy, Now).Report!;

            Assert.Equal(HealthStatuses.Unhealthy, badReport.Status);
            Assert.Contains(badReport.Findings, f => f.StartsWith("Dacl Error:", StringComparison.Ordinal));
            Assert.DoesNotContain(goodReport.Findings, f => f.StartsWith("Dacl Error:", StringComparison.Ordinal));
            Assert.Contains(goodReport.Findings, f => f.StartsWith("Dacl Warning: the dACL could not be checked", StringComparison.Ordinal) && f.Contains("psn3.example.test"));
            Assert.Equal(HealthStatuses.Degraded, noNames.Status);
        }

        [Fact]
        public void LiveWithoutALiveLogSaysTheLogWasNotReadAndJudgesTheRest()
        {
            using var endpoint = new LiveEndpoint(folder, "127.0.0.1");
            var reporter = new RecordingReporter();

            HealthReport report = Check(reporter, endpoint.Options(PostureStatus.Pending)).CheckLive(endpoint.Locations, liveLog: null, Now);

            Assert.Equal(HealthSources.Live, report.Source);
            Assert.Equal("Pending", report.PostureStatus);
            Assert.Single(report.Findings, f => f.StartsWith("Log Warning: the agent's live log was not read", StringComparison.Ordinal));
            Assert.Equal(HealthStatuses.Unknown, report.Status);
            // The client's connect completes before the server's accept loop counts it; under load that takes a while.
            Assert.True(SpinWait.SpinUntil(() => endpoint.Connections > 0, TimeSpan.FromSeconds(30)), "the port check never connected");
            Assert.Equal(1, endpoint.Connections);
        }

        [Fact]
        public void LiveReadsTheAgentsEventsThroughTheLiveLogSeamAndJudgesThePortByTheLoggedStatus()
        {
            using var endpoint = new LiveEndpoint(folder, "127.0.0.1");
            var log = new FakeLiveLog(
                Event(Now.AddHours(-2), DartSyncEventTypes.PostureStatus, "Compliant"),
                Event(Now.AddHours(-2), DartSyncEventTypes.SyncProbeControl),
                Event(Now.AddHours(-1), DartSyncEventTypes.SyncProbeError));

            HealthReport report = Check(new RecordingReporter(), endpoint.Options(posture: null)).CheckLive(endpoint.Locations, log, Now);

            Assert.Equal(Now - TimeSpan.FromDays(1), log.AskedSince);
            Assert.Equal("Compliant", report.PostureStatus);
            Assert.True(report.NeedsAgentRestart);
            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.Single(report.Findings, f => f.StartsWith($"Port Error: 127.0.0.1:{endpoint.Port} is reachable while Compliant", StringComparison.Ordinal));
        }

        [Fact]
        public void TheLiveLogIsReadFromTheAgentsLastStartSoACuredSwitchOffDoesNotCount()
        {
            using var endpoint = new LiveEndpoint(folder, "127.0.0.1");
            DateTime boot = Now.AddHours(-3);
            long bootSeconds = new DateTimeOffset(boot).ToUnixTimeSeconds();
            string proc = Path.Combine(folder, "proc");
            Directory.CreateDirectory(Path.Combine(proc, "1170"));
            File.WriteAllText(Path.Combine(proc, "stat"), "btime " + bootSeconds + "\n");
            File.WriteAllText(Path.Combine(proc, "1170", "comm"), "csc_iseagentd\n");

            // Started 150 minutes after boot: half an hour ago, after the error an hour ago.
            File.WriteAllText(Path.Combine(proc, "1170", "stat"), "1170 (csc_iseagentd) S 1 1170 1170 0 -1 0 0 0 0 0 0 0 0 0 20 0 4 0 " + (150 * 60 * 100) + " 1 1\n");
            var log = new FakeLiveLog(
                Event(Now.AddHours(-2), DartSyncEventTypes.PostureStatus, "Compliant"),
                Event(Now.AddHours(-2), DartSyncEventTypes.SyncProbeControl),
                Event(Now.AddHours(-1), DartSyncEventTypes.SyncProbeError));

            HealthReport report = Check(new RecordingReporter(), endpoint.Options(PostureStatus.Compliant)).CheckLive(endpoint.Locations, log, Now);

            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(bootSeconds + (150 * 60)).LocalDateTime, log.AskedSince);
            Assert.False(report.NeedsAgentRestart);
        }

        [Fact]
        public void AHugeLiveLogIsStreamedAndOnlyTheEventsTheVerdictReadsAreHeld()
        {
            using var endpoint = new LiveEndpoint(folder, "127.0.0.1");
            var log = new EndlessLiveLog(events: 2_000_000, sampleEvery: 1000);

            HealthReport report = Check(new RecordingReporter(), endpoint.Options(posture: null)).CheckLive(endpoint.Locations, log, Now);

            Assert.Equal(2_000_000, log.Yielded);
            Assert.Equal(2_000, log.Sampled);
            // A list of every event would hold all 2,000 sampled ones when the read ends; the digest holds at most its seven.
            Assert.InRange(log.AliveAtEnd, 0, 7);
            Assert.Equal("Compliant", report.PostureStatus);
            Assert.True(report.NeedsAgentRestart);
        }

        [Fact]
        public void ALiveLogThatCannotBeReadBecomesTheLogProblem()
        {
            using var endpoint = new LiveEndpoint(folder, "127.0.0.1");
            var log = new FakeLiveLog { Refusal = new PostureSyncException(ErrorIds.LogAccessDenied, FailureKind.PermissionDenied, "the event log is closed to this user") };

            HealthReport report = Check(new RecordingReporter(), endpoint.Options(PostureStatus.Pending)).CheckLive(endpoint.Locations, log, Now);

            Assert.Single(report.Findings, f => f.Contains("LogAccessDenied: the event log is closed to this user"));
            Assert.False(report.NeedsAgentRestart);
        }

        private static DartSyncEvent Event(DateTime time, string type, string? status = null) =>
            new DartSyncEvent { TimeCreated = time, EventType = type, PostureStatus = status, Message = type };

        /// <summary>An endpoint's installed profile under a scratch root, naming one loopback PSN that accepts connections.</summary>
        private sealed class LiveEndpoint : IDisposable
        {
            private readonly LoopbackServer server;
            private readonly ConcurrentBag<int> bytes = new ConcurrentBag<int>();

            public LiveEndpoint(string root, string psn)
            {
                server = LoopbackServer.Counting(IPAddress.Parse(psn), bytes);
                Locations = new AgentLocations(OsPlatformKind.Linux, root);
                string profileFolder = Locations.ProfileDirectories[0].Path;
                Directory.CreateDirectory(profileFolder);
                File.WriteAllText(
                    Path.Combine(profileFolder, "ISEPostureCFG.xml"),
                    $"<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><StateSyncProbeInterval>30</StateSyncProbeInterval><StateSyncProbeList>{psn}</StateSyncProbeList><NetworkTransitionDelay>10</NetworkTransitionDelay></cfg>");
            }

            public AgentLocations Locations { get; }

            public int Port => server.Port;

            public int Connections => Volatile.Read(ref server.Connections);

            public HealthCheckOptions Options(PostureStatus? posture) => new HealthCheckOptions { PostureStatus = posture, Port = server.Port, TimeoutSec = 30 };

            public void Dispose() => server.Dispose();
        }

        /// <summary>
        /// A live log of millions of events made one at a time (Compliant, probing started, then probes with an error
        /// now and then); when the reader asks past the last one, it counts how many of a sample are still alive.
        /// </summary>
        private sealed class EndlessLiveLog : ILiveAgentLog
        {
            private readonly int events;
            private readonly int sampleEvery;

            public EndlessLiveLog(int events, int sampleEvery) => (this.events, this.sampleEvery) = (events, sampleEvery);

            public string Description => "the test's endless agent log";

            public long Yielded { get; private set; }

            public int Sampled { get; private set; }

            public int AliveAtEnd { get; private set; }

            public IEnumerable<DartSyncEvent> ReadSince(DateTime since, CancellationToken cancellation)
            {
                var samples = new List<WeakReference<DartSyncEvent>>();
                DateTime start = since.AddMinutes(1);
                for (int i = 0; i < events; i++)
                {
                    string type = i == 0 ? DartSyncEventTypes.PostureStatus
                        : i == 1 ? DartSyncEventTypes.SyncProbeControl
                        : i % 5000 == 0 ? DartSyncEventTypes.SyncProbeError
                        : i % 2 == 0 ? DartSyncEventTypes.SyncProbe : DartSyncEventTypes.Discovery;
                    DartSyncEvent e = Event(start.AddTicks(i), type, i == 0 ? "Compliant" : null);
                    if (i % sampleEvery == 0)
                    {
                        samples.Add(new WeakReference<DartSyncEvent>(e));
                    }

                    Yielded++;
                    yield return e;
                }

                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                Sampled = samples.Count;
                AliveAtEnd = samples.Count(sample => sample.TryGetTarget(out _));
            }
        }

        private sealed class FakeLiveLog : ILiveAgentLog
        {
            private readonly DartSyncEvent[] events;

            public FakeLiveLog(params DartSyncEvent[] events) => this.events = events;

            public DateTime? AskedSince { get; private set; }

            public PostureSyncException? Refusal { get; set; }

            public string Description => "the test's agent log";

            public IEnumerable<DartSyncEvent> ReadSince(DateTime since, CancellationToken cancellation)
            {
                AskedSince = since;
                if (Refusal != null)
                {
                    throw Refusal;
                }

                return events.Where(e => e.TimeCreated >= since);
            }
        }
    }
}
