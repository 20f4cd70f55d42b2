using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using PostureSync.Core.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    /// <summary>Logs as admins really hand them over: re-spaced, converted twice, without marks, endless, rotated, zipped.</summary>
    public class RealWorldLogTests
    {
        private static readonly DateTime Day = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);

        [Theory]
        [InlineData("2022/11/09 12:22:47 [Information]  aciseagent  Function:  PeriodicProbe::sessionSyncProbe  Thread Id: 0x296C  File: PeriodicProbe.cpp  Line: 412  Level: info  ::  probing")]
        [InlineData("2022/11/09 12:22:47 [Information]\taciseagent\tFunction: PeriodicProbe::sessionSyncProbe\tThread Id:\t0x296C\tFile: PeriodicProbe.cpp\tLine: 412\tLevel: info\t:: probing")]
        [InlineData("2022/11/09  12:22:47  [ Information ] aciseagent Function:PeriodicProbe::sessionSyncProbe Thread Id:0x296C File:PeriodicProbe.cpp Line:412 Level:info :: probing")]
        [InlineData("  \uFEFF2022/11/09 12:22:47 [Information] aciseagent Function: PeriodicProbe::sessionSyncProbe Thread Id: 0x296C File: PeriodicProbe.cpp Line: 412 Level: info::probing")]
        public void OddSpacingStillYieldsEveryField(string line)
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse(line));
            r.ParseTail();

            Assert.Equal(new DateTime(2022, 11, 9, 12, 22, 47), r.Timestamp());
            Assert.Equal("Information", r.Text(r.SeverityStart, r.SeverityLength));
            Assert.Equal("aciseagent", r.Text(r.ProcessStart, r.ProcessLength));
            Assert.Equal("PeriodicProbe::sessionSyncProbe", r.Text(r.FunctionStart, r.FunctionLength));
            Assert.Equal("0x296C", r.Text(r.ThreadStart, r.ThreadLength));
            Assert.Equal("PeriodicProbe.cpp", r.Text(r.FileStart, r.FileLength));
            Assert.Equal(412, r.SourceLineNumber());
            Assert.Equal("info", r.Text(r.LevelStart, r.LevelLength));
            Assert.Equal("probing", r.Text(r.MessageStart, r.LineStart + r.LineLength - r.MessageStart)!.TrimStart());
        }

        [Fact]
        public void ARecordWithoutAProcessStillHasItsFunction()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse("2022/11/09 12:22:47 [Error] Function: sessionSyncProbe :: misconfigured"));

            Assert.Equal(-1, r.ProcessStart);
            Assert.True(r.MethodIs("sessionSyncProbe"));
            Assert.Equal(DartSyncEventTypes.SyncProbeError, DartSyncEventTypes.NameOf(DartSyncEventClassifier.Classify(r)));
        }

        [Fact]
        public void ALineCopiedWithCrCrLfKeepsNoCrAndItsContinuation()
        {
            using var files = new DartTestFiles();
            string text = DartTestFiles.Record("2022/11/09 12:00:01", "dump_http_headers", "headers:").TrimEnd('\n') + "\r\r\nHost: psn1\r\r\n"
                + DartTestFiles.Record("2022/11/09 12:00:02", "dump_http_headers", "next").Replace("\n", "\r\r\n");

            List<DartSyncEvent> events = files.ReadText(text);

            Assert.Equal(new[] { "headers:\nHost: psn1", "next" }, events.Select(e => e.Message));
            Assert.Empty(files.Warnings);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Utf16WithoutAByteOrderMarkIsRecognised(bool bigEndian)
        {
            string text = DartTestFiles.Record("2022/11/09 12:22:47", "Authenticator::sendUIStatus", "Statut: Compliant — vérifié");
            using var files = new DartTestFiles();

            DartSyncEvent e = Assert.Single(files.ReadBytes(new UnicodeEncoding(bigEndian, false).GetBytes(text)));
            Assert.Equal("Statut: Compliant — vérifié", e.Message);
            Assert.Empty(files.Warnings);
        }

        [Fact]
        public void EndlessContinuationLinesAreCutSoMemoryStaysBounded()
        {
            var text = new StringBuilder(DartTestFiles.Record("2022/11/09 12:00:01", "dump_http_headers", "dump:"));
            string filler = new string('x', 999);
            for (int i = 0; i < 3000; i++)
            {
                text.Append(filler).Append('\n');
            }

            text.Append(DartTestFiles.Record("2022/11/09 12:00:02", "dump_http_headers", "after"));
            using var files = new DartTestFiles();

            List<DartSyncEvent> events = files.ReadText(text.ToString());

            Assert.Equal(2, events.Count);
            Assert.True(events[0].Message.Length <= PostureLogReader.MaxMessageChars + 1, $"message of {events[0].Message.Length} characters");
            Assert.EndsWith("\u2026", events[0].Message);
            Assert.Equal("after", events[1].Message);
            Assert.Equal(3002, events[1].LineNumber);
        }

        [Fact]
        public void AHugeSingleLineCountsAsOneLine()
        {
            string huge = DartTestFiles.Record("2022/11/09 12:00:01", "dump_http_headers", new string('y', 3 * LineSource.MaxLineChars));
            string text = huge + "\u0000junk " + new string('z', 2 * LineSource.MaxLineChars) + "\n"
                + DartTestFiles.Record("2022/11/09 12:00:02", "dump_http_headers", "after");
            using var files = new DartTestFiles();

            List<DartSyncEvent> events = files.ReadText(text);

            Assert.Equal(new long[] { 1, 3 }, events.Select(e => e.LineNumber));
            Assert.DoesNotContain('\n', events[0].Message);
            Assert.DoesNotContain('z', events[0].Message);
            Assert.EndsWith("\u2026", events[0].Message);
            Assert.Equal(2, Assert.Single(files.Warnings).FirstSkippedLine);
            Assert.Equal(1, files.Warnings[0].SkippedLines);
        }

        [Theory]
        [InlineData("AnyConnect_ISEPosture.txt", 0)]
        [InlineData("AnyConnect_ISEPosture.txt.1", 1)]
        [InlineData("AnyConnect_ISEPosture.txt.12", 12)]
        [InlineData("AnyConnect_ISEPosture.txt.old", 1)]
        [InlineData("anyconnect_iseposture.TXT_2", 2)]
        public void RotationAgeComesFromTheName(string name, int age)
        {
            Assert.Equal(age, DartSyncEventReader.RotationAge(name));
        }

        [Fact]
        public void RotatedCopiesWithEqualTimesComeBeforeTheLiveLog()
        {
            using var files = new DartTestFiles();
            files.Write("AnyConnect_ISEPosture.txt", Probe("2024/05/01 10:00:03", "live"), Day);
            files.Write("AnyConnect_ISEPosture.txt.1", Probe("2024/05/01 10:00:02", "rotated once"), Day);
            files.Write("AnyConnect_ISEPosture.txt.2", Probe("2024/05/01 10:00:01", "rotated twice"), Day);

            Assert.Equal(new[] { "rotated twice", "rotated once", "live" }, files.Reader().Read(files.Folder).Select(e => e.Message));
        }

        [Fact]
        public void AZippedLogInAFolderIsReadAsABundle()
        {
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "AnyConnect_ISEPosture.txt.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                ZipArchiveEntry entry = archive.CreateEntry("AnyConnect_ISEPosture.txt");
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(Probe("2024/05/01 10:00:00", "zipped"));
            }

            DartSyncEvent e = Assert.Single(files.Reader().Read(files.Folder));
            Assert.Equal("zipped", e.Message);
            Assert.Equal(zip, e.BundlePath);
            Assert.Empty(files.Warnings);
        }

        [Fact]
        public void AFolderOfBundlesSaysToPassTheBundles()
        {
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "user1", "dart.zip");
            Directory.CreateDirectory(Path.GetDirectoryName(zip)!);
            using (ZipFile.Open(zip, ZipArchiveMode.Create))
            {
            }

            Assert.Empty(files.Reader().Read(files.Folder));
            PostureSyncException failure = Assert.Single(files.Failures);
            Assert.Equal("PostureLogNotFound", failure.ErrorId);
            Assert.Contains("*.zip", failure.RecommendedAction);
        }

        private static string Probe(string time, string message) => DartTestFiles.Record(time, "PeriodicProbe::sessionSyncProbe", message);
    }
}
