using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using PostureSync.Core.AgentLog;
using PostureSync.Core.Dart;
using PostureSync.Core.Platform;
using Xunit;

namespace PostureSync.Core.Tests.AgentLog
{
    /// <summary>
    /// Each OS's live source through a stub tool first on the search path (journalctl, log, wevtutil) printing
    /// recorded output, read by the same reader as DART logs. MESSAGE bodies are real agent bodies: the macOS lines
    /// of shared/realworld (mkumble) and the tech note's functions; the probe error's text is not public, so it is ours.
    /// </summary>
    public class LiveLogSourceTests
    {
        private const string ConfigBody = "Function: loadXMLCfgFile Thread Id: 0xE2801000 File: ConfigData.cpp Line: 43 Level: info :: ISEPostureCFG.xml present. Using it for config";
        private const string StatusBody = "Function: sendUIStatus Thread Id: 0xE1ED5000 File: SwiftManager.cpp Line: 186 Level: debug :: MSG_SU_STEP_STATUS, {Status:6,Compliant:3,RemStatus:1803564464,Phase:0,StepNumber:-1,Progress:-1,Attention:0,Cancellable:0,Restartable:0,ErrorMessage:1,Description1:\"System scan not required on current Wi-Fi.\",Description2:\"\"}";
        private const string DiscoveryBody = "Function: collectNoMntTargets Thread Id: 0xE2801000 File: SwiftHttpRunner.cpp Line: 1281 Level: debug :: discarding interface utun0 with gateway fe80::";
        private const string ProbeErrorBody = "Function: PeriodicProbe::sessionSyncProbe Thread Id: 0x296C File: PeriodicProbe.cpp Line: 412 Level: error :: state sync probe reached the PSN while Compliant; disabling state sync";

        private static readonly DateTime Since = new DateTime(2024, 2, 14, 0, 0, 0);

        [Fact]
        public void JournalRunsExactlyTheDocumentedCommandAndYieldsAgentEvents()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            DateTime first = new DateTime(2024, 2, 14, 0, 12, 18, DateTimeKind.Local);
            stubs.Stub("journalctl", string.Join("\n",
                JournalEntry(first, ConfigBody),
                JournalEntry(first.AddSeconds(1), StatusBody),
                JournalEntry(first.AddSeconds(2), DiscoveryBody),
                "not json",
                JournalEntry(first.AddSeconds(3), ProbeErrorBody)) + "\n");
            var reader = Reader(out List<PostureSyncException> failures);

            List<DartSyncEvent> events = reader.ReadLive(Journal(stubs), Since).ToList();

            Assert.Empty(failures);
            Assert.Equal(new[] { "--no-pager", "-o", "json", "-t", "csc_iseagentd", "--since", "2024-02-14 00:00:00" }, stubs.Arguments());
            Assert.Equal(new[] { "ConfigLoaded", "PostureStatus", "Discovery", "SyncProbeError" }, events.Select(e => e.EventType));
            Assert.Equal(first, events[0].TimeCreated);
            Assert.Equal(first.AddSeconds(3), events[3].TimeCreated);
            Assert.All(events, e => Assert.Equal("csc_iseagentd", e.Process));
            Assert.Equal("Error", events[3].Severity);
            Assert.Equal("discarding interface utun0 with gateway fe80::", events[2].Message);
            Assert.Equal("journal:csc_iseagentd", events[0].LogPath);
        }

        [Fact]
        public void AJournalMessageThatIsNotUtf8ComesAsBytes()
        {
            string bytes = string.Join(",", Encoding.UTF8.GetBytes(ConfigBody).Select(b => b.ToString()));
            string json = "{\"__REALTIME_TIMESTAMP\":\"1707869538000000\",\"SYSLOG_IDENTIFIER\":\"csc_iseagentd\",\"_PID\":\"1170\",\"MESSAGE\":[" + bytes + "]}";

            string? line = JournalSource.ToSyslogLine(json);

            Assert.NotNull(line);
            Assert.EndsWith(" localhost csc_iseagentd[1170]: " + ConfigBody, line);
        }

        [Theory]
        [InlineData("")]
        [InlineData("{\"MESSAGE\":\"x\"}")]
        [InlineData("{\"__REALTIME_TIMESTAMP\":\"abc\",\"MESSAGE\":\"x\"}")]
        [InlineData("[1,2]")]
        [InlineData("{\"MESSAGE\":")]
        public void ALineThatIsNoJournalEntryIsLeftOut(string json)
        {
            Assert.Null(JournalSource.ToSyslogLine(json));
        }

        [Fact]
        public void AnEmptyJournalIsLogNotFoundNeverAnEmptySuccess()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            stubs.Stub("journalctl", string.Empty);
            var reader = Reader(out List<PostureSyncException> failures);

            Assert.Empty(reader.ReadLive(Journal(stubs), Since));

            PostureSyncException failure = Assert.Single(failures);
            Assert.Equal("LogNotFound", failure.ErrorId);
            Assert.Contains("since 2024-02-14 00:00:00", failure.Message);
            Assert.Contains("DART bundle", failure.RecommendedAction);
        }

        [Fact]
        public void AJournalThisUserMayNotReadIsLogUnreadableSayingToRunAsRoot()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            stubs.Stub("journalctl", string.Empty, "No journal files were opened due to insufficient permissions.\n");
            var reader = Reader(out List<PostureSyncException> failures);

            Assert.Empty(reader.ReadLive(Journal(stubs), null));

            PostureSyncException failure = Assert.Single(failures);
            Assert.Equal("LogUnreadable", failure.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, failure.Kind);
            Assert.Contains("root", failure.RecommendedAction);
            Assert.DoesNotContain("--since", stubs.Arguments());
        }

        [Fact]
        public void WithoutAJournalTheSyslogFileIsReadForTheIdentifiersLines()
        {
            using var stubs = new StubTools();
            stubs.WriteUnderRoot(Path.Combine("var", "log", "messages"), string.Join("\n",
                "Feb 14 00:12:17 host systemd[1]: Started Session 4 of user root.",
                "Feb 14 00:12:18 host csc_iseagentd[1170]: " + ConfigBody,
                "Feb 14 00:12:19 host csc_iseagentd[1170]: " + ProbeErrorBody) + "\n");
            var reader = Reader(out List<PostureSyncException> failures);

            // No journalctl in the stub folder: the fallback.
            List<DartSyncEvent> events = reader.ReadLive(Journal(stubs), null).ToList();

            Assert.Empty(failures);
            Assert.Equal(new[] { "ConfigLoaded", "SyncProbeError" }, events.Select(e => e.EventType));
            Assert.Equal(Path.Combine(stubs.Root, "var", "log", "messages"), events[0].LogPath);
        }

        [Fact]
        public void WithNoJournalFilesTheSyslogFileIsRead()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            stubs.Stub("journalctl", string.Empty, "No journal files were found.\n");
            stubs.WriteUnderRoot(Path.Combine("var", "log", "syslog"), "Feb 14 00:12:19 host csc_iseagentd[1170]: " + ProbeErrorBody + "\n");
            var reader = Reader(out List<PostureSyncException> failures);

            DartSyncEvent e = Assert.Single(reader.ReadLive(Journal(stubs), null));

            Assert.Empty(failures);
            Assert.Equal("SyncProbeError", e.EventType);
        }

        [Fact]
        public void NoJournalAndNoSyslogFileIsLogNotFound()
        {
            using var stubs = new StubTools();
            var reader = Reader(out List<PostureSyncException> failures);

            Assert.Empty(reader.ReadLive(Journal(stubs), null));

            PostureSyncException failure = Assert.Single(failures);
            Assert.Equal("LogNotFound", failure.ErrorId);
            Assert.Contains("journalctl is not on PATH", failure.Message);
            Assert.Contains("dartcli", failure.RecommendedAction);
        }

        [Fact]
        public void AToolThatHangsIsKilledAtTheTimeoutAndSaysSo()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            stubs.Stub("journalctl", string.Empty, before: "exec sleep 60");
            var limits = new LiveLogLimits(TimeSpan.FromSeconds(1), 1 << 20);
            var reader = Reader(out List<PostureSyncException> failures);
            var clock = Stopwatch.StartNew();

            Assert.Empty(reader.ReadLive(new JournalSource(stubs.Tools(OsPlatformKind.Linux), limits, stubs.Locations(OsPlatformKind.Linux).SyslogFiles), null));

            // Bounded by the timeout, with a wide margin for a loaded machine; the stub would sleep 60 s.
            Assert.True(clock.Elapsed < limits.Timeout + TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
            PostureSyncException failure = Assert.Single(failures);
            Assert.Equal("LogUnreadable", failure.ErrorId);
            Assert.Equal(FailureKind.OperationTimeout, failure.Kind);
        }

        [Fact]
        public void StoppingAReadKillsTheTool()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            stubs.Stub("journalctl", string.Empty, before: "exec sleep 60");
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var reader = Reader(out _);
            reader.Cancellation = stop.Token;
            var clock = Stopwatch.StartNew();

            Assert.ThrowsAny<OperationCanceledException>(() => reader.ReadLive(new JournalSource(stubs.Tools(OsPlatformKind.Linux), LiveLogLimits.Default, Array.Empty<string>()), null).ToList());

            // Far below the 60 s timeout: the stop, not the timeout, ended it.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        }

        [Fact]
        public void MoreThanTheCapStopsWithLogTooLarge()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            var many = new StringBuilder();
            for (int i = 0; i < 200; i++)
            {
                many.Append(JournalEntry(new DateTime(2024, 2, 14, 0, 0, 0).AddSeconds(i), ConfigBody)).Append('\n');
            }

            stubs.Stub("journalctl", many.ToString());
            var reader = Reader(out List<PostureSyncException> failures);

            List<DartSyncEvent> events = reader.ReadLive(new JournalSource(stubs.Tools(OsPlatformKind.Linux), new LiveLogLimits(TimeSpan.FromSeconds(60), 10000), Array.Empty<string>()), null).ToList();

            Assert.True(events.Count < 200, $"{events.Count} events");
            Assert.Equal("LogTooLarge", Assert.Single(failures).ErrorId);
        }

        [Fact]
        public void UnifiedLogRunsLogShowWithThePredicateAndReadsNdjson()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            stubs.Stub("log", string.Join("\n",
                UnifiedEntry("2024-02-14 00:12:18.123456-0800", "/opt/cisco/secureclient/bin/csc_iseagentd", 1170, ConfigBody),
                "{\"eventType\":\"activityCreateEvent\",\"timestamp\":\"2024-02-14 00:12:18.2-0800\",\"eventMessage\":\"x\"}",
                UnifiedEntry("2024-02-14 00:12:19.000000-0800", "/Applications/Cisco/Cisco Secure Client.app/Contents/MacOS/Cisco Secure Client", 864, StatusBody),
                UnifiedEntry("2024-02-14 00:12:20.000000-0800", "/opt/cisco/secureclient/bin/csc_iseagentd", 1170, ProbeErrorBody)) + "\n");
            var reader = Reader(out List<PostureSyncException> failures);

            List<DartSyncEvent> events = reader.ReadLive(new UnifiedLogSource(stubs.Tools(OsPlatformKind.MacOS), LiveLogLimits.Default), Since).ToList();

            Assert.Empty(failures);
            Assert.Equal(
                new[] { "show", "--style", "ndjson", "--predicate", "process BEGINSWITH \"csc_ise\" OR process BEGINSWITH \"aciseagent\"", "--info", "--debug", "--start", "2024-02-14 00:00:00" },
                stubs.Arguments());
            Assert.Equal(new[] { "ConfigLoaded", "PostureStatus", "SyncProbeError" }, events.Select(e => e.EventType));
            Assert.Equal(new DateTime(2024, 2, 14, 0, 12, 18), events[0].TimeCreated);
            Assert.Equal("Cisco Secure Client", events[1].Process);
        }

        [Fact]
        public void WithoutAStartTimeTheUnifiedLogIsReadForTwoDays()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            stubs.Stub("log", string.Empty);
            var reader = Reader(out List<PostureSyncException> failures);

            Assert.Empty(reader.ReadLive(new UnifiedLogSource(stubs.Tools(OsPlatformKind.MacOS), LiveLogLimits.Default), null));

            DateTime start = DateTime.ParseExact(stubs.Arguments().Last(), "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(DateTime.Now - start, TimeSpan.FromDays(2) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(2) + TimeSpan.FromMinutes(5));
            Assert.Equal("LogNotFound", Assert.Single(failures).ErrorId);
        }

        [Fact]
        public void AnEventLogRecordBecomesTheSameEventAsItsDartLine()
        {
            var record = new WindowsEventLogSource.RecordedEvent
            {
                LogName = "Cisco AnyConnect ISE Posture Module",
                ProviderName = "aciseagent",
                TimeCreatedUtc = new DateTime(2022, 11, 9, 3, 26, 24, DateTimeKind.Utc),
                Level = 2,
                Data = new[] { ProbeErrorBody },
            };
            string local = record.TimeCreatedUtc.ToLocalTime().ToString("yyyy/MM/dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

            string line = WindowsEventLogSource.ToDartLine(record);

            Assert.Equal(local + " [Error] aciseagent " + ProbeErrorBody, line);
            using var files = new Dart.DartTestFiles();
            DartSyncEvent e = Assert.Single(files.ReadText(line + "\n"));
            Assert.Equal("SyncProbeError", e.EventType);
            Assert.Equal("Error", e.Severity);
            Assert.Equal("aciseagent", e.Process);
            Assert.Equal(record.TimeCreatedUtc.ToLocalTime(), DateTime.SpecifyKind(e.TimeCreated, DateTimeKind.Local));
        }

        [Theory]
        [InlineData(1, "Critical")]
        [InlineData(2, "Error")]
        [InlineData(3, "Warning")]
        [InlineData(4, "Information")]
        [InlineData(0, "Information")]
        [InlineData(5, "Verbose")]
        public void EventLevelsAreNamedAsTheEventLogNamesThem(int level, string name)
        {
            Assert.Equal(name, WindowsEventLogSource.LevelName(level));
        }

        [Fact]
        public void WevtutilsXmlIsReadIntoRecords()
        {
            string xml = "<Events>" + WevtutilEvent("aciseagent", 4, "2022-11-09T03:22:47.1234567Z", StatusBody)
                + WevtutilEvent("aciseagent", 2, "2022-11-09T03:26:24.0000000Z", ProbeErrorBody, "second data") + "</Events>";

            List<IEventLogRecord> records = WindowsEventLogSource.ParseRecords(new StringReader(xml), "Cisco AnyConnect ISE Posture Module").ToList();

            Assert.Equal(2, records.Count);
            Assert.Equal(new DateTime(2022, 11, 9, 3, 22, 47, DateTimeKind.Utc).AddTicks(1234567), records[0].TimeCreatedUtc);
            Assert.Equal(4, records[0].Level);
            Assert.Equal(new[] { StatusBody }, records[0].Data);
            Assert.Equal(2, records[1].Level);
            Assert.Equal(new[] { ProbeErrorBody, "second data" }, records[1].Data);
            Assert.Equal("Cisco AnyConnect ISE Posture Module", records[1].LogName);
        }

        [Fact]
        public void BothEventLogsAreAskedForAndAMissingOneIsNotAnError()
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            string xml = "<Events>" + WevtutilEvent("aciseagent", 2, "2022-11-09T03:26:24.0000000Z", ProbeErrorBody) + "</Events>";
            File.WriteAllText(Path.Combine(stubs.Folder, "legacy.xml"), xml);

            // The Secure Client 5 log does not exist (15007); the legacy one answers.
            stubs.Stub("wevtutil", string.Empty, before:
                $"case \"$2\" in 'Cisco Secure Client - ISE Posture') echo 'Failed to read events. The specified channel could not be found.' >&2; exit 159;; *) cat '{Path.Combine(stubs.Folder, "legacy.xml")}'; exit 0;; esac");
            var reader = Reader(out List<PostureSyncException> failures);

            DartSyncEvent e = Assert.Single(reader.ReadLive(new WindowsEventLogSource(stubs.Tools(OsPlatformKind.Windows), LiveLogLimits.Default), new DateTime(2022, 11, 9, 0, 0, 0, DateTimeKind.Utc)));

            Assert.Empty(failures);
            Assert.Equal("SyncProbeError", e.EventType);
            Assert.Equal(new[] { "qe", "Cisco AnyConnect ISE Posture Module", "/f:xml", "/e:Events", "/q:*[System[TimeCreated[@SystemTime>='2022-11-09T00:00:00.000Z']]]" }, stubs.Arguments());
        }

        [Theory]
        [InlineData(159, "Failed to read events. The specified channel could not be found.", "LogNotFound", FailureKind.ObjectNotFound)]
        [InlineData(5, "Failed to read events. Access is denied.", "LogUnreadable", FailureKind.PermissionDenied)]
        [InlineData(1, "Failed to read events. The parameter is incorrect.", "LogUnreadable", FailureKind.ResourceUnavailable)]
        public void EventLogFailuresSayWhatToDo(int exitCode, string errors, string errorId, FailureKind kind)
        {
            if (!StubTools.CanRun)
            {
                return;
            }

            using var stubs = new StubTools();
            // Windows exits 15007 for a missing channel; a POSIX stub can exit only 0-255, so the message says it too.
            stubs.Stub("wevtutil", string.Empty, errors + "\n", exitCode);
            var reader = Reader(out List<PostureSyncException> failures);

            Assert.Empty(reader.ReadLive(new WindowsEventLogSource(stubs.Tools(OsPlatformKind.Windows), LiveLogLimits.Default), null));

            PostureSyncException failure = Assert.Single(failures);
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Equal(kind, failure.Kind);
            Assert.Contains("DART bundle", failure.RecommendedAction);
        }

        [Fact]
        public void TheAgentsLastStartComesFromProc()
        {
            using var stubs = new StubTools();
            stubs.WriteUnderRoot(Path.Combine("proc", "stat"), "cpu  1 2 3\nbtime 1707868800\nprocesses 4\n");
            stubs.WriteUnderRoot(Path.Combine("proc", "1170", "comm"), "csc_iseagentd\n");
            stubs.WriteUnderRoot(Path.Combine("proc", "1170", "stat"), "1170 (csc_iseagentd) S 1 1170 1170 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 4 0 360000 1 1 1\n");
            stubs.WriteUnderRoot(Path.Combine("proc", "900", "comm"), "csc_iseagentd\n");
            stubs.WriteUnderRoot(Path.Combine("proc", "900", "stat"), "900 (csc_iseagentd) S 1 900 900 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 4 0 1000 1 1 1\n");
            stubs.WriteUnderRoot(Path.Combine("proc", "77", "comm"), "sshd\n");
            stubs.WriteUnderRoot(Path.Combine("proc", "77", "stat"), "77 (sshd) S 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 4 0 9000000 1 1 1\n");

            DateTime? start = AgentStartTime.Find(stubs.Locations(OsPlatformKind.Linux));

            // Boot at 2024-02-14 00:00:00 UTC, the newest agent 3,600 s (360,000 ticks) later.
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1707868800 + 3600).LocalDateTime, start);
        }

        [Fact]
        public void NoAgentProcessMeansNoStartTime()
        {
            using var stubs = new StubTools();
            stubs.WriteUnderRoot(Path.Combine("proc", "stat"), "btime 1707868800\n");

            Assert.Null(AgentStartTime.Find(stubs.Locations(OsPlatformKind.Linux)));
        }

        [Theory]
        [InlineData("1 (a b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 4242 1", 4242L)]
        [InlineData("1 (x) S 1 2", null)]
        [InlineData("garbage", null)]
        public void StartTicksAreCountedAfterTheCommandName(string stat, long? ticks)
        {
            Assert.Equal(ticks, ProcTable.StartTicks(stat));
        }

        private static JournalSource Journal(StubTools stubs) =>
            new JournalSource(stubs.Tools(OsPlatformKind.Linux), LiveLogLimits.Default, stubs.Locations(OsPlatformKind.Linux).SyslogFiles);

        private static DartSyncEventReader Reader(out List<PostureSyncException> failures)
        {
            var found = new List<PostureSyncException>();
            failures = found;
            return new DartSyncEventReader(new DartSyncEventQuery()) { Failure = found.Add };
        }

        private static string JournalEntry(DateTime local, string message)
        {
            long micros = new DateTimeOffset(local).ToUnixTimeMilliseconds() * 1000;
            return "{\"__REALTIME_TIMESTAMP\":\"" + micros + "\",\"PRIORITY\":\"5\",\"SYSLOG_IDENTIFIER\":\"csc_iseagentd\",\"_PID\":\"1170\",\"MESSAGE\":\"" + Escape(message) + "\"}";
        }

        private static string UnifiedEntry(string timestamp, string image, int pid, string message) =>
            "{\"timestamp\":\"" + timestamp + "\",\"messageType\":\"Default\",\"eventType\":\"logEvent\",\"processImagePath\":\"" + image + "\",\"processID\":" + pid + ",\"eventMessage\":\"" + Escape(message) + "\"}";

        private static string WevtutilEvent(string provider, int level, string systemTime, params string[] data) =>
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='" + provider + "'/><EventID Qualifiers='0'>0</EventID><Level>" + level
            + "</Level><Task>0</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='" + systemTime + "'/><EventRecordID>7</EventRecordID><Channel>Cisco AnyConnect ISE Posture Module</Channel><Computer>PC1</Computer><Security/></System><EventData>"
            + string.Concat(data.Select(d => "<Data>" + System.Security.SecurityElement.Escape(d) + "</Data>")) + "</EventData></Event>";

        private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }
}
