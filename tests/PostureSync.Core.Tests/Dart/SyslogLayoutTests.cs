using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PostureSync.Core.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    /// <summary>
    /// The syslog layout of agent lines (REALWORLD-NOTES.md §1): the two real macOS system.log files (copies of
    /// shared/realworld, Secure Client 5, February 2024) and a hand-made file with one line per case.
    /// </summary>
    public class SyslogLayoutTests
    {
        private const string RealStatusLog = "iseposture-log.macos-syslog.mkumble-1.txt";
        private const string RealDiscoveryLog = "iseposture-log.macos-syslog.mkumble-2.txt";
        private const string HandMadeLog = "iseposture-log.syslog.handmade.txt";

        [Fact]
        public void TheRealStatusLinesAreAgentEventsWithTheirTimesInTheFilesYear()
        {
            using var files = new DartTestFiles();
            string path = CopyFixture(files, RealStatusLog, "system.log", new DateTime(2024, 2, 20, 9, 0, 0));

            List<DartSyncEvent> all = files.Reader(new DartSyncEventQuery { All = true }).Read(path).ToList();
            List<DartSyncEvent> events = files.Reader().Read(path).ToList();

            Assert.Empty(files.Warnings);
            Assert.Empty(files.Failures);
            Assert.Equal(5, all.Count);
            Assert.Equal(new[] { "PostureStatus", "Other", "PostureStatus", "Other", "PostureStatus" }, all.Select(e => e.EventType));
            Assert.Equal(
                new[] { new DateTime(2024, 2, 12, 2, 27, 10), new DateTime(2024, 2, 12, 1, 57, 10), new DateTime(2024, 2, 12, 1, 27, 10) },
                events.Select(e => e.TimeCreated));
            DartSyncEvent first = events[0];
            Assert.Equal("csc_iseagentd", first.Process);
            Assert.Equal("sendUIStatus", first.Function);
            Assert.Equal("0xE1ED5000", first.ThreadId);
            Assert.Equal("SwiftManager.cpp", first.SourceFile);
            Assert.Equal(186, first.SourceLine);
            Assert.Equal("debug", first.Level);
            Assert.Equal("Information", first.Severity);
            Assert.StartsWith("MSG_SU_STEP_STATUS, {Status:6,Compliant:3,", first.Message);
            Assert.EndsWith("Description2:\"\"}", first.Message);

            // The numeric codes are not public, so no status is read from them.
            Assert.All(events, e => Assert.Null(e.PostureStatus));
            Assert.Contains("fe80::6c7e:67ff:febb:53f0", all[1].Message);
        }

        [Fact]
        public void TheRealDiscoveryLinesSkipTheForeignLineQuietlyAndKeepIpv6InMessages()
        {
            using var files = new DartTestFiles();
            string path = CopyFixture(files, RealDiscoveryLog, "systemshort.log", new DateTime(2024, 2, 14, 8, 0, 0));

            List<DartSyncEvent> events = files.Reader().Read(path).ToList();

            Assert.Empty(files.Warnings);
            Assert.Equal(24, events.Count);
            Assert.Equal(14, events.Count(e => e.EventType == DartSyncEventTypes.Discovery && e.Function == "collectNoMntTargets"));
            Assert.Equal(10, events.Count(e => e.EventType == DartSyncEventTypes.ConfigLoaded));
            Assert.DoesNotContain(events, e => e.Message.Contains("ASL Sender Statistics"));
            Assert.Equal("discarding interface utun0 with gateway fe80::", events.First(e => e.SourceLine == 1281).Message);
            Assert.Equal(new DateTime(2024, 2, 14, 0, 12, 18), events[0].TimeCreated);
            Assert.Equal(new DateTime(2024, 2, 14, 0, 0, 38), events[23].TimeCreated);
            Assert.All(events, e => Assert.Equal("csc_iseagentd", e.Process));
        }

        [Fact]
        public void TheHandMadeFileCoversEveryCase()
        {
            using var files = new DartTestFiles();
            string path = CopyFixture(files, HandMadeLog, "ISEPosture.txt", new DateTime(2025, 1, 2, 12, 0, 0));

            List<DartSyncEvent> events = files.Reader(new DartSyncEventQuery { All = true }).Read(path).ToList();

            Assert.Empty(files.Warnings);
            Assert.Empty(files.Failures);
            Assert.Equal(
                new[] { "PostureStatus", "SyncProbeControl", "ConfigLoaded", "Discovery", "Other", "SyncProbeError", "SyncProbe" },
                events.Select(e => e.EventType));

            // December read against a January file time is the year before; a space-padded day reads as the day.
            Assert.Equal(new DateTime(2024, 12, 31, 23, 59, 59), events[0].TimeCreated);
            Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 5), events[1].TimeCreated);
            Assert.Equal("Compliant", events[0].PostureStatus);
            Assert.Equal("Authenticator::sendUIStatus", events[0].Function);

            // "--- last message repeated 2 times ---" belongs to the record before it.
            Assert.Equal(2, events[0].RepeatCount);
            Assert.Equal(0, events[1].RepeatCount);

            Assert.Equal("Cisco Secure Client", events[2].Process);

            // The message starts after the first " :: " that follows the level, and keeps the "::" of IPv6.
            Assert.Equal("discarding interface utun0 with gateway fe80:: :: and fe80::1", events[3].Message);

            // An empty message, and a repeat notice after a foreign line that does not count for it.
            Assert.Equal(string.Empty, events[4].Message);
            Assert.Equal("debug", events[4].Level);
            Assert.Equal(0, events[4].RepeatCount);

            // A bare function name with the agent's level "error": the state-sync error, severity from the level; rsyslog's repeat form counts.
            Assert.Equal("Error", events[5].Severity);
            Assert.Equal("sessionSyncProbe", events[5].Function);
            Assert.Equal(3, events[5].RepeatCount);

            // rsyslog's ISO time carries its year; a 12-digit thread id is kept whole.
            Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 11), events[6].TimeCreated);
            Assert.Equal("0x7f3a2c001700", events[6].ThreadId);
            Assert.Equal(12, events[6].LineNumber);
        }

        [Fact]
        public void TheHandMadeFileIsFoundByItsDartNamesInABundleFolder()
        {
            using var files = new DartTestFiles();
            string text = DartTestFiles.FixtureText(HandMadeLog);
            files.Write(Path.Combine("DART", "ISE Posture", "ISEPosture.txt"), text);
            files.Write(Path.Combine("DART", "ISE Posture", "CiscoSecureClient-ISEPosture.log"), text);
            files.Write(Path.Combine("DART", "ISE Posture", "csc_iseposture.log"), "encrypted, never read");

            List<DartSyncEvent> events = files.Reader().Read(files.Folder).ToList();

            Assert.Empty(files.Failures);
            Assert.Equal(2, events.Select(e => e.LogPath).Distinct().Count());
            Assert.Equal(12, events.Count);
        }

        [Theory]
        [InlineData("ISEPosture.txt", true)]
        [InlineData("iseposture.txt.1", true)]
        [InlineData("CiscoSecureClient-ISEPosture.log", true)]
        [InlineData("CiscoSecureClient-ISEPosture.log.2", true)]
        [InlineData("ISEPosture.json", false)]
        [InlineData("ISEPostureCFG.xml", false)]
        [InlineData("csc_iseposture.log", false)]
        public void DartsOtherLogNames(string name, bool expected)
        {
            Assert.Equal(expected, DartSyncEventReader.IsPostureLogName(name));
        }

        [Theory]
        [InlineData(12, 31, 2025, 1, 1, 2024)]
        [InlineData(1, 1, 2024, 12, 31, 2025)]
        [InlineData(2, 14, 2024, 2, 20, 2024)]
        [InlineData(2, 29, 2024, 3, 1, 2024)]
        [InlineData(2, 29, 2027, 3, 1, 2024)]
        [InlineData(6, 1, 2024, 5, 31, 2024)]
        [InlineData(6, 1, 2024, 5, 30, 2023)]
        public void TheYearIsTheLatestThatIsNotAfterTheReferenceTime(int month, int day, int referenceYear, int referenceMonth, int referenceDay, int year)
        {
            var reference = new DateTime(referenceYear, referenceMonth, referenceDay, 12, 0, 0);

            DateTime time = PostureLogLine.InferYear(month, day, 10, 0, 0, reference);

            Assert.Equal(new DateTime(year, month, day, 10, 0, 0), time);
        }

        [Theory]
        [InlineData("Feb 14 00:12:18 MacBook-Pro syslogd[342]: ASL Sender Statistics", "Foreign")]
        [InlineData("Feb 17 18:49:05 --- last message repeated 1 time ---", "Repeat")]
        [InlineData("Feb  4 00:12:18 host csc_iseagentd[1]: Function: f Thread Id: 0x1 File: a.cpp Line: 1 Level: info :: m", "Record")]
        [InlineData("Feb 4 00:12:18 host csc_iseagentd: Function: f", "Record")]
        [InlineData("Feb 30 00:12:18 host csc_iseagentd[1]: Function: f", "NotRecord")]
        [InlineData("Foo 14 00:12:18 host csc_iseagentd[1]: Function: f", "NotRecord")]
        [InlineData("Feb 14 25:12:18 host csc_iseagentd[1]: Function: f", "NotRecord")]
        [InlineData("2024-02-14 00:12:18.5-0800 host csc_iseagentd[1]: (libacise.dylib) Function: f", "Record")]
        [InlineData("Host: psn1.example.com", "NotRecord")]
        [InlineData("Feb 14 00:12:18 host csc_iseagentd[1]: NoFunction: f", "Foreign")]
        public void LineKinds(string text, string kind)
        {
            Assert.Equal(kind, new PostureLogLine().Parse(text).ToString());
        }

        [Theory]
        [InlineData("Feb 14 00:12:18 MacBook-Pro csc_iseagentd[1170]: Function: f", "csc_iseagentd")]
        [InlineData("Feb 14 00:12:18 MacBook-Pro Cisco Secure Client[864]: Function: f", "Cisco Secure Client")]
        [InlineData("Feb 14 00:12:18 MacBook-Pro aciseagentd: Function: f", "aciseagentd")]
        [InlineData("Feb 14 00:12:18 csc_iseagentd[1170]: Function: f", "csc_iseagentd")]
        [InlineData("2024-02-14 00:12:18.5-0800 host csc_iseagentd[1]: (libacise.dylib) Function: f", "csc_iseagentd")]
        public void TheProcessIsTheTagWithoutHostOrPid(string text, string process)
        {
            var line = new PostureLogLine();
            Assert.Equal(PostureLogLineKind.Record, line.Parse(text));
            Assert.Equal(process, line.Text(line.ProcessStart, line.ProcessLength));
            Assert.Equal(-1, line.SeverityStart);
        }

        private static string CopyFixture(DartTestFiles files, string fixture, string name, DateTime lastWriteLocal)
        {
            string path = files.Write(name, DartTestFiles.FixtureText(fixture));
            File.SetLastWriteTime(path, lastWriteLocal);
            return path;
        }
    }
}
