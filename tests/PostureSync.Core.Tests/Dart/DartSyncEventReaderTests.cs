using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using PostureSync.Core.Dart;
using PostureSync.Core.Platform;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    public class DartSyncEventReaderTests
    {
        private static readonly DateTime Day = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);

        private static string Probe(string time, string message) => DartTestFiles.Record(time, "PeriodicProbe::sessionSyncProbe", message);

        [Theory]
        [InlineData("AnyConnect_ISEPosture.txt", true)]
        [InlineData("anyconnect_iseposture.TXT", true)]
        [InlineData("AnyConnect_ISEPosture.txt.1", true)]
        [InlineData("AnyConnect_ISEPosture_old.txt", true)]
        [InlineData("AnyConnect_ISEPosture.log", false)]
        [InlineData("ISEPostureCFG.xml", false)]
        [InlineData("aciseposture.log", false)]
        public void LogNames(string name, bool expected)
        {
            Assert.Equal(expected, DartSyncEventReader.IsPostureLogName(name));
        }

        [Fact]
        public void AFileOfAnyName()
        {
            using var files = new DartTestFiles();
            string path = files.Write("copy-from-user.log", Probe("2022/11/09 12:22:47", "one"));

            DartSyncEvent e = Assert.Single(files.Reader().Read(path));
            Assert.Equal(path, e.LogPath);
            Assert.Null(e.BundlePath);
            Assert.Equal(1, e.LineNumber);
        }

        [Fact]
        public void AFolderReadsEveryLogBelowItOldestFirst()
        {
            using var files = new DartTestFiles();
            files.Write("AnyConnect_ISEPosture.txt", Probe("2024/05/01 10:00:00", "current"), Day.AddHours(10));
            files.Write(Path.Combine("old", "AnyConnect_ISEPosture.txt.1"), Probe("2024/05/01 08:00:00", "rotated"), Day.AddHours(8));
            files.Write(Path.Combine("old", "deeper", "AnyConnect_ISEPosture.txt.2"), Probe("2024/05/01 07:00:00", "oldest"), Day.AddHours(7));
            files.Write("ISEPostureCFG.xml", Probe("2024/05/01 09:00:00", "not a log name"), Day.AddHours(9));

            List<DartSyncEvent> events = files.Reader().Read(files.Folder).ToList();

            Assert.Equal(new[] { "oldest", "rotated", "current" }, events.Select(e => e.Message));
            Assert.Empty(files.Failures);
        }

        [Fact]
        public void EqualTimesFallBackToThePath()
        {
            using var files = new DartTestFiles();
            files.Write("AnyConnect_ISEPosture_b.txt", Probe("2024/05/01 10:00:00", "b"), Day);
            files.Write("AnyConnect_ISEPosture_A.txt", Probe("2024/05/01 10:00:00", "a"), Day);

            Assert.Equal(new[] { "a", "b" }, files.Reader().Read(files.Folder).Select(e => e.Message));
        }

        [Fact]
        public void ProgressCountsTheLogsOfAFolder()
        {
            using var files = new DartTestFiles();
            files.Write("AnyConnect_ISEPosture.txt.1", Probe("2024/05/01 08:00:00", "a"), Day);
            files.Write("AnyConnect_ISEPosture.txt", Probe("2024/05/01 09:00:00", "b"), Day.AddHours(1));

            files.Reader().Read(files.Folder).ToList();

            Assert.Equal(new[] { 0, 1 }, files.Progress.Where(p => p.Completed).Select(p => p.LogIndex));
            Assert.All(files.Progress, p => Assert.Equal(2, p.LogCount));
        }

        [Fact]
        public void AFolderWithoutLogsFails()
        {
            using var files = new DartTestFiles();
            files.Write("notes.txt", "nothing");

            Assert.Empty(files.Reader().Read(files.Folder));
            Assert.Equal("PostureLogNotFound", Assert.Single(files.Failures).ErrorId);
        }

        [Fact]
        public void AMissingPathFailsAndTheNextPathStillReads()
        {
            using var files = new DartTestFiles();
            string good = files.Write("AnyConnect_ISEPosture.txt", Probe("2024/05/01 08:00:00", "ok"));
            DartSyncEventReader reader = files.Reader();

            List<DartSyncEvent> events = new[] { Path.Combine(files.Folder, "missing.zip"), good }.SelectMany(reader.Read).ToList();

            Assert.Equal("ok", Assert.Single(events).Message);
            PostureSyncException failure = Assert.Single(files.Failures);
            Assert.Equal("PathNotFound", failure.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, failure.Kind);
        }

        [Fact]
        public void WithoutAFailureHandlerTheFailureIsThrown()
        {
            var reader = new DartSyncEventReader(new DartSyncEventQuery());
            var ex = Assert.Throws<PostureSyncException>(() => reader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))).ToList());
            Assert.Equal("PathNotFound", ex.ErrorId);
        }

        [Fact]
        public void AZipIsStreamedEntriesAtAnyDepthOldestFirst()
        {
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "dart.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                AddEntry(archive, "DART/Cisco Secure Client/ISE Posture/AnyConnect_ISEPosture.txt", Probe("2024/05/01 10:00:00", "current"), Day.AddHours(10));
                AddEntry(archive, "DART/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml", "<cfg/>", Day);
                AddEntry(archive, "AnyConnect_ISEPosture.txt.1", Probe("2024/05/01 08:00:00", "rotated"), Day.AddHours(8));
                AddEntry(archive, "Other/aciseposture.log", Probe("2024/05/01 09:00:00", "wrong file"), Day.AddHours(9));
            }

            List<DartSyncEvent> events = files.Reader().Read(zip).ToList();

            Assert.Equal(new[] { "rotated", "current" }, events.Select(e => e.Message));
            Assert.All(events, e => Assert.Equal(zip, e.BundlePath));
            Assert.Equal(zip + "!/DART/Cisco Secure Client/ISE Posture/AnyConnect_ISEPosture.txt", events[1].LogPath);
            Assert.Empty(files.Failures);
            Assert.False(Directory.Exists(Path.Combine(files.Folder, "DART")));
        }

        [Fact]
        public void AZipWithoutALogFails()
        {
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "dart.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                AddEntry(archive, "ISEPostureCFG.xml", "<cfg/>", Day);
            }

            Assert.Empty(files.Reader().Read(zip));
            Assert.Equal("PostureLogNotFound", Assert.Single(files.Failures).ErrorId);
        }

        [Fact]
        public void ACorruptZipFailsAsDartBundleInvalid()
        {
            using var files = new DartTestFiles();
            string zip = files.Write("broken.zip", "PK\u0003\u0004 this is not really a zip");

            Assert.Empty(files.Reader().Read(zip));
            PostureSyncException failure = Assert.Single(files.Failures);
            Assert.Equal("DartBundleInvalid", failure.ErrorId);
        }

        [Fact]
        public void ATruncatedZipFailsAsDartBundleInvalid()
        {
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "dart.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                AddEntry(archive, "AnyConnect_ISEPosture.txt", Probe("2024/05/01 10:00:00", "x"), Day);
            }

            byte[] bytes = File.ReadAllBytes(zip);
            File.WriteAllBytes(zip, bytes.Take(bytes.Length / 2).ToArray());

            Assert.Empty(files.Reader().Read(zip));
            Assert.Equal("DartBundleInvalid", Assert.Single(files.Failures).ErrorId);
        }

        [Fact]
        public void AnEntryThatExpandsTooMuchIsRefusedAndTheNextIsRead()
        {
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "dart.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                AddEntry(archive, "a/AnyConnect_ISEPosture.txt", new string('A', 4 << 20), Day);
                AddEntry(archive, "b/AnyConnect_ISEPosture.txt", Probe("2024/05/01 10:00:00", "fine"), Day.AddHours(1));
            }

            List<DartSyncEvent> events = files.Reader().Read(zip).ToList();

            Assert.Equal("fine", Assert.Single(events).Message);
            Assert.Equal("DartBundleTooLarge", Assert.Single(files.Failures).ErrorId);
        }

        [Fact]
        public void LogNotFoundSaysToCollectADartBundle()
        {
            // A Windows endpoint's live log with no wevtutil to read it: an empty search path.
            var source = new PostureSync.Core.AgentLog.WindowsEventLogSource(new PostureSync.Core.AgentLog.LogTool(OsPlatformKind.Windows, string.Empty), PostureSync.Core.AgentLog.LiveLogLimits.Default);
            var failures = new List<PostureSyncException>();
            Assert.Empty(new DartSyncEventReader(new DartSyncEventQuery()) { Failure = failures.Add }.ReadLive(source, null));
            PostureSyncException ex = Assert.Single(failures);

            Assert.Equal("LogNotFound", ex.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
            Assert.Contains("DART", ex.RecommendedAction);
            Assert.Contains("-Path", ex.RecommendedAction);
        }

        [Fact]
        public void ALogBeingWrittenCanBeRead()
        {
            using var files = new DartTestFiles();
            string path = files.Write("AnyConnect_ISEPosture.txt", Probe("2024/05/01 10:00:00", "first"));
            using var writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            byte[] more = Encoding.UTF8.GetBytes(Probe("2024/05/01 10:00:10", "second"));
            writer.Write(more, 0, more.Length);
            writer.Flush();

            Assert.Equal(new[] { "first", "second" }, files.Reader().Read(path).Select(e => e.Message));
        }

        private static void AddEntry(ZipArchive archive, string name, string text, DateTime lastWriteUtc)
        {
            ZipArchiveEntry entry = archive.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(lastWriteUtc);
            using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
            writer.Write(text);
        }
    }
}
