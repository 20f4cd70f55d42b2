using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using PostureSync.Core.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    public class PostureLogReaderTests
    {
        private static readonly string[] WindowsStory =
        {
            "ConfigLoaded", "PostureStatus", "SyncProbeControl", "SyncProbe", "HttpRequest", "HttpHeaders", "SyncProbe",
            "DiscoveryRestart", "Discovery", "Transport", "SyncProbeControl", "PostureStatus", "SyncProbeError", "SyncProbe",
        };

        [Fact]
        public void WindowsFixtureTellsTheStateSyncStory()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"));

            Assert.Equal(WindowsStory, events.Select(e => e.EventType));
            Assert.Equal(new long[] { 3, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 19, 20, 21 }, events.Select(e => e.LineNumber));
            Assert.All(events, e => Assert.Equal("test.txt", e.LogPath));
            Assert.All(events, e => Assert.Null(e.BundlePath));
            Assert.All(events, e => Assert.Equal(DateTimeKind.Unspecified, e.TimeCreated.Kind));
        }

        [Fact]
        public void FullRecordFillsEveryProperty()
        {
            using var files = new DartTestFiles();
            DartSyncEvent request = files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt")).Single(e => e.EventType == "HttpRequest");

            Assert.Equal(new DateTime(2022, 11, 9, 12, 22, 47), request.TimeCreated);
            Assert.Equal("Information", request.Severity);
            Assert.Equal("aciseagent", request.Process);
            Assert.Equal("HttpConnection::MakeRequest", request.Function);
            Assert.Equal("0x296C", request.ThreadId);
            Assert.Equal("HttpConnection.cpp", request.SourceFile);
            Assert.Equal(233, request.SourceLine);
            Assert.Equal("info", request.Level);
            Assert.Equal("GET https://psn1.example.com:8449/ (timeout 5)", request.Message);
            Assert.Equal("https://psn1.example.com:8449/", request.Url);
            Assert.Equal(8449, request.Port);
            Assert.Null(request.PostureStatus);
        }

        [Fact]
        public void EveryEventKeepsItsOwnMessageAndThreadAcrossManyRecords()
        {
            // Kept text is shared in blocks: thousands of records of varied lengths (some longer than a block's share)
            // must each come back with exactly their own message and thread id.
            var log = new StringBuilder();
            var expected = new List<(string Thread, string Message)>();
            for (int i = 0; i < 3000; i++)
            {
                string thread = "0x" + (0x100 + i).ToString("X");
                string message = i % 500 == 7 ? new string('m', 3000 + i) : $"Discovery message {i} handled" + new string('.', i % 97);
                expected.Add((thread, message));
                log.Append("2022/11/09 12:22:47 [Information] aciseagent Function: SwiftHttpRunner::processMessage Thread Id: ")
                    .Append(thread).Append(" File: SwiftHttpRunner.cpp Line: 12 Level: info :: ").Append(message).Append('\n');
            }

            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(log.ToString());

            Assert.Equal(expected, events.Select(e => (e.ThreadId!, e.Message)));
        }

        [Fact]
        public void ContinuationLinesJoinThePreviousMessage()
        {
            using var files = new DartTestFiles();
            DartSyncEvent headers = files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt")).Single(e => e.EventType == "HttpHeaders");

            Assert.Equal("Response headers:\nHTTP/1.1 200 OK\nContent-Type: text/plain", headers.Message);
        }

        [Fact]
        public void CutRecordsKeepWhatTheyHave()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"));
            DartSyncEvent cutStatus = events.Single(e => e.LineNumber == 19);
            DartSyncEvent cutControl = events.Single(e => e.LineNumber == 17);

            Assert.Equal("Authenticator::sendUIStatus", cutStatus.Function);
            Assert.Null(cutStatus.ThreadId);
            Assert.Null(cutStatus.SourceFile);
            Assert.Null(cutStatus.SourceLine);
            Assert.Null(cutStatus.Level);
            Assert.Equal(string.Empty, cutStatus.Message);
            Assert.Null(cutStatus.PostureStatus);
            Assert.Equal("0xC60", cutControl.ThreadId);
            Assert.Null(cutControl.SourceFile);
        }

        [Fact]
        public void PostureStatusIsReadFromTheMessage()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> statuses = files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt")).Where(e => e.EventType == "PostureStatus").ToList();

            Assert.Equal("Compliant", statuses[0].PostureStatus);
            Assert.Equal("Posture status: Compliant", statuses[0].Message);
        }

        [Fact]
        public void MacFixtureWithBareNames()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.macos.txt"), new DartSyncEventQuery { All = true });

            Assert.Equal(
                new[] { "ConfigLoaded", "PostureStatus", "SyncProbeControl", "Other", "SyncProbe", "SyncProbeError", "Discovery", "HttpRequest" },
                events.Select(e => e.EventType));
            Assert.Null(events[1].PostureStatus);
            Assert.Equal("MSG_SU_STEP_STATUS, {Status:6,Compliant:3,...}", events[1].Message);
            Assert.Equal("csc_iseagent", events[1].Process);
            Assert.Equal("Warning", events[4].Severity);
            Assert.Equal("http://[2001:db8::5]/auth/status", events[7].Url);
            Assert.Equal(80, events[7].Port);
            Assert.Empty(files.Warnings);
        }

        [Fact]
        public void SkippedLinesGiveOneWarningPerLog()
        {
            using var files = new DartTestFiles();
            files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"));

            DartLogWarning warning = Assert.Single(files.Warnings);
            Assert.Equal(3, warning.SkippedLines);
            Assert.Equal(1, warning.FirstSkippedLine);
            Assert.Equal(15, warning.Records);
            Assert.Contains("3 line(s)", warning.Message);
            Assert.Contains("line 1", warning.Message);
        }

        [Fact]
        public void AllAddsOtherRecords()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"), new DartSyncEventQuery { All = true });

            Assert.Equal(15, events.Count);
            DartSyncEvent other = Assert.Single(events, e => e.EventType == "Other");
            Assert.Equal("Authenticator::authenticate", other.Function);
        }

        [Fact]
        public void EventTypeFilterAnyCase()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(
                DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"),
                new DartSyncEventQuery { EventTypes = new[] { "syncprobeerror", "PostureStatus" } });

            Assert.Equal(new[] { "PostureStatus", "PostureStatus", "SyncProbeError" }, events.Select(e => e.EventType));
        }

        [Fact]
        public void EventTypeOtherAlone()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(
                DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"),
                new DartSyncEventQuery { EventTypes = new[] { "Other" } });

            Assert.Equal("Authenticator::authenticate", Assert.Single(events).Function);
        }

        [Fact]
        public void UnknownEventTypeIsRefusedUpFront()
        {
            var ex = Assert.Throws<PostureSyncException>(() => new DartSyncEventReader(new DartSyncEventQuery { EventTypes = new[] { "Probe" } }));
            Assert.Equal("InvalidEventType", ex.ErrorId);
            Assert.Contains("SyncProbeControl", ex.Message);
        }

        [Fact]
        public void TimeFiltersAreInclusiveAndIgnoreKind()
        {
            using var files = new DartTestFiles();
            List<DartSyncEvent> events = files.ReadText(
                DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"),
                new DartSyncEventQuery
                {
                    After = new DateTime(2022, 11, 9, 12, 26, 24, DateTimeKind.Local),
                    Before = new DateTime(2022, 11, 9, 12, 26, 24, DateTimeKind.Utc),
                });

            Assert.Equal(new[] { "SyncProbe", "DiscoveryRestart", "Discovery", "Transport", "SyncProbeControl" }, events.Select(e => e.EventType));
        }

        [Fact]
        public void FilteredOutRecordDoesNotSwallowTheNextOnesContinuation()
        {
            using var files = new DartTestFiles();
            string text = DartTestFiles.Record("2022/11/09 12:00:00", "Other::thing", "skip me")
                + "continuation of skipped\n"
                + DartTestFiles.Record("2022/11/09 12:00:01", "dump_http_headers", "headers:")
                + "Host: psn1\n";
            DartSyncEvent headers = Assert.Single(files.ReadText(text));

            Assert.Equal("headers:\nHost: psn1", headers.Message);
            Assert.Empty(files.Warnings);
        }

        [Theory]
        [InlineData("utf-8")]
        [InlineData("utf-8-bom")]
        [InlineData("utf-16le")]
        [InlineData("utf-16be")]
        public void EncodingsWithTheirByteOrderMarks(string encodingName)
        {
            Encoding encoding = encodingName switch
            {
                "utf-8" => new UTF8Encoding(false),
                "utf-8-bom" => new UTF8Encoding(true),
                "utf-16le" => new UnicodeEncoding(false, true),
                _ => new UnicodeEncoding(true, true),
            };
            string text = DartTestFiles.Record("2022/11/09 12:22:47", "Authenticator::sendUIStatus", "Statut: Compliant — vérifié");
            byte[] bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
            using var files = new DartTestFiles();

            DartSyncEvent e = Assert.Single(files.ReadBytes(bytes));
            Assert.Equal("Statut: Compliant — vérifié", e.Message);
            Assert.Equal("Compliant", e.PostureStatus);
            Assert.Empty(files.Warnings);
        }

        [Fact]
        public void CrLfAndLfMixed()
        {
            using var files = new DartTestFiles();
            string lf = DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt");
            List<DartSyncEvent> events = files.ReadText(lf.Replace("\n", "\r\n"));

            Assert.Equal(WindowsStory, events.Select(e => e.EventType));
            Assert.Equal("Response headers:\nHTTP/1.1 200 OK\nContent-Type: text/plain", events.Single(e => e.EventType == "HttpHeaders").Message);
            Assert.DoesNotContain(events, e => e.Message.IndexOf('\r') >= 0);
        }

        [Fact]
        public void InvalidBytesDoNotStopTheParse()
        {
            byte[] first = Encoding.UTF8.GetBytes(DartTestFiles.Record("2022/11/09 12:22:47", "PeriodicProbe::sessionSyncProbe", "bad byte here: "));
            byte[] bad = { 0xC3, 0x28, 0xFF, (byte)'!', (byte)'\n' };
            byte[] second = Encoding.UTF8.GetBytes(DartTestFiles.Record("2022/11/09 12:22:48", "PeriodicProbe::sessionSyncProbe", "after"));
            using var files = new DartTestFiles();

            // The bad bytes sit at the end of the first record's message line, before its newline.
            byte[] bytes = first.Take(first.Length - 1).Concat(bad).Concat(second).ToArray();
            List<DartSyncEvent> events = files.ReadBytes(bytes);

            Assert.Equal(2, events.Count);
            Assert.StartsWith("bad byte here: \uFFFD", events[0].Message);
            Assert.Equal("after", events[1].Message);
        }

        [Fact]
        public void BinaryJunkGivesNoEventsAndOnePostureLogInvalidFailure()
        {
            var random = new Random(7);
            var junk = new byte[200_000];
            random.NextBytes(junk);
            using var files = new DartTestFiles();

            Assert.Empty(files.ReadBytes(junk, new DartSyncEventQuery { All = true }));
            Assert.Empty(files.Warnings);
            PostureSyncException failure = Assert.Single(files.Failures);
            Assert.Equal(ErrorIds.PostureLogInvalid, failure.ErrorId);
            Assert.Contains("is not a posture log", failure.Message);
            Assert.Contains("first at line 1", failure.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\n\n  \n")]
        public void EmptyLogSaysItIsEmpty(string text)
        {
            using var files = new DartTestFiles();

            Assert.Empty(files.ReadText(text, new DartSyncEventQuery { All = true }));
            DartLogWarning warning = Assert.Single(files.Warnings);
            Assert.Contains("is empty", warning.Message);
            Assert.Empty(files.Failures);
        }

        [Fact]
        public void EventsStreamBeforeTheLogIsRead()
        {
            var text = new StringBuilder();
            for (int i = 0; i < 100_000; i++)
            {
                text.Append(DartTestFiles.Record("2022/11/09 12:22:47", i % 20 == 0 ? "PeriodicProbe::sessionSyncProbe" : "Worker::tick", "n=" + i));
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
            using var stream = new MemoryStream(bytes);
            using IEnumerator<DartSyncEvent> events = new DartSyncEventReader(new DartSyncEventQuery()).Read(stream, "big.txt").GetEnumerator();

            Assert.True(events.MoveNext());
            Assert.Equal("n=0", events.Current.Message);
            Assert.True(stream.Position < bytes.Length / 10, $"read {stream.Position} of {bytes.Length} bytes before the first event");
        }

        [Fact]
        public void CancellationStopsALongScan()
        {
            var text = new StringBuilder();
            for (int i = 0; i < 5_000; i++)
            {
                text.Append(DartTestFiles.Record("2022/11/09 12:22:47", "Worker::tick", "n=" + i));
            }

            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
            var reader = new DartSyncEventReader(new DartSyncEventQuery()) { Cancellation = cancel.Token };

            Assert.ThrowsAny<OperationCanceledException>(() => reader.Read(stream, "big.txt").ToList());
        }

        [Fact]
        public void ProgressReportsStartAndEndOfEachLog()
        {
            using var files = new DartTestFiles();
            byte[] bytes = Encoding.UTF8.GetBytes(DartTestFiles.FixtureText("AnyConnect_ISEPosture.windows.txt"));
            using var stream = new MemoryStream(bytes);
            files.Reader().Read(stream, "x.txt", null, bytes.Length).ToList();

            Assert.Equal(0, files.Progress.First().BytesRead);
            Assert.False(files.Progress.First().Completed);
            Assert.True(files.Progress.Last().Completed);
            Assert.Equal(100, files.Progress.Last().PercentComplete);
        }
    }
}
