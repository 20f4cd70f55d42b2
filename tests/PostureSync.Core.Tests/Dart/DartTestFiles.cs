using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PostureSync.Core.Dart;

namespace PostureSync.Core.Tests.Dart
{
    /// <summary>Fixture paths, a scratch folder per test, and a reader that records what it reports.</summary>
    internal sealed class DartTestFiles : IDisposable
    {
        public DartTestFiles()
        {
            Folder = Path.Combine(Path.GetTempPath(), "posturesync-dart-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
        }

        public string Folder { get; }

        public List<DartLogWarning> Warnings { get; } = new List<DartLogWarning>();

        public List<PostureSyncException> Failures { get; } = new List<PostureSyncException>();

        public List<DartReadProgress> Progress { get; } = new List<DartReadProgress>();

        public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dart", name);

        public static string FixtureText(string name) => File.ReadAllText(Fixture(name));

        public DartSyncEventReader Reader(DartSyncEventQuery? query = null) => new DartSyncEventReader(query ?? new DartSyncEventQuery())
        {
            Warning = Warnings.Add,
            Failure = Failures.Add,
            Progress = Progress.Add,
        };

        public List<DartSyncEvent> ReadBytes(byte[] bytes, DartSyncEventQuery? query = null)
        {
            using var stream = new MemoryStream(bytes);
            return Reader(query).Read(stream, "test.txt").ToList();
        }

        public List<DartSyncEvent> ReadText(string text, DartSyncEventQuery? query = null) => ReadBytes(new UTF8Encoding(false).GetBytes(text), query);

        public string Write(string relativePath, string text, DateTime? lastWriteUtc = null)
        {
            string path = Path.Combine(Folder, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            if (lastWriteUtc.HasValue)
            {
                File.SetLastWriteTimeUtc(path, lastWriteUtc.Value);
            }

            return path;
        }

        public static string Record(string time, string function, string message, string severity = "Information") =>
            $"{time} [{severity}] aciseagent Function: {function} Thread Id: 0xC60 File: X.cpp Line: 1 Level: info :: {message}\n";

        public void Dispose()
        {
            try
            {
                Directory.Delete(Folder, true);
            }
            catch (IOException)
            {
                // A scanner may hold a temp file for a moment; the temp folder is cleaned eventually.
            }
        }
    }
}
