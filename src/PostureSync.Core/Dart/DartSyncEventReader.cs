using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using PostureSync.Core.AgentLog;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Reads state-sync events out of a posture log file, a folder of logs, or a DART zip, streaming: events come out
    /// as they are parsed. Problems with one path or bundle entry go to <see cref="Failure"/> and the reading goes on
    /// with the next one; notes about a log (skipped lines) go to <see cref="Warning"/> once per log.
    /// </summary>
    internal sealed class DartSyncEventReader
    {
        /// <summary>
        /// The agent's log as DART names it, with rotated copies: <c>AnyConnect_ISEPosture.txt</c> (the legacy event log),
        /// <c>ISEPosture.txt</c> (Secure Client 5's event log) and <c>CiscoSecureClient-ISEPosture.log</c> (macOS,
        /// <c>log show</c> output) [seen: Secure Client 5.1 DART configuration, LIVE-LOGS.md §4.4].
        /// </summary>
        public const string LogNamePattern = "AnyConnect_ISEPosture*.txt*, ISEPosture*.txt* or CiscoSecureClient-ISEPosture*.log*";

        // Each name's prefix and the extension that must follow it.
        private static readonly (string Prefix, string Extension)[] LogNames =
        {
            ("AnyConnect_ISEPosture", ".txt"),
            ("ISEPosture", ".txt"),
            ("CiscoSecureClient-ISEPosture", ".log"),
        };

        private readonly DartSyncEventQuery query;

        /// <summary>Checks the query at once, so a bad event type fails before any file is opened.</summary>
        public DartSyncEventReader(DartSyncEventQuery query)
        {
            query.WantedCodes();
            this.query = query;
        }

        /// <summary>What the progress of reading posture logs is called.</summary>
        public const string ProgressActivity = "Reading posture logs";

        /// <summary>
        /// A reader whose failures, warnings, progress and cancellation go through <paramref name="reporter"/>. Throws
        /// InvalidEventType at once for a bad query.
        /// </summary>
        public static DartSyncEventReader ReportingTo(DartSyncEventQuery query, IOperationReporter reporter) => new DartSyncEventReader(query)
        {
            Warning = warning => reporter.Warning(warning.Message),
            Failure = reporter.Failure,
            Progress = progress => ReportProgress(progress, reporter),
            Cancellation = reporter.Cancellation,
        };

        /// <summary>Called once per log that had lines before its first record or unreadable lines.</summary>
        public Action<DartLogWarning>? Warning { get; set; }

        /// <summary>Called when a log starts, about every megabyte, and when it ends.</summary>
        public Action<DartReadProgress>? Progress { get; set; }

        /// <summary>
        /// Called for each path or bundle entry that cannot be read (ErrorIds PathNotFound, LogAccessDenied,
        /// LogUnreadable, PostureLogNotFound, DartBundleInvalid, DartBundleTooLarge); the reading goes on. When no
        /// handler is set, the failure is thrown and ends the enumeration.
        /// </summary>
        public Action<PostureSyncException>? Failure { get; set; }

        /// <summary>Checked between lines (every 1,024), so even a long scan that keeps nothing stops quickly.</summary>
        public CancellationToken Cancellation { get; set; }

        /// <summary>Tells the reporter that the reading of one path (file, folder or bundle) is over.</summary>
        public static void ReportDone(IOperationReporter reporter) =>
            reporter.Progress(new OperationProgress(ProgressActivity, "Done") { Completed = true });

        private static void ReportProgress(DartReadProgress progress, IOperationReporter reporter)
        {
            if (progress.Completed && progress.LogIndex == progress.LogCount - 1)
            {
                // The last log of a path is done: ReportDone follows, so an update now would only flicker.
                return;
            }

            // Invariant like the module's other English text, so "1.5 MB" does not become "1,5 MB" in some cultures.
            string status = progress.TotalBytes > 0
                ? FormattableString.Invariant($"Log {progress.LogIndex + 1} of {progress.LogCount}: {progress.BytesRead / 1048576.0:N1} of {progress.TotalBytes / 1048576.0:N1} MB")
                : FormattableString.Invariant($"Log {progress.LogIndex + 1} of {progress.LogCount}: {progress.BytesRead / 1048576.0:N1} MB");
            reporter.Progress(new OperationProgress(ProgressActivity, status) { PercentComplete = progress.PercentComplete, CurrentOperation = progress.LogPath });
        }

        /// <summary>True for the names in <see cref="LogNamePattern"/>, any case.</summary>
        public static bool IsPostureLogName(string fileName) => ExtensionAt(fileName) >= 0;

        /// <summary>Where the log extension (".txt" or ".log") of a posture log name starts; -1 for another name.</summary>
        private static int ExtensionAt(string fileName)
        {
            foreach ((string prefix, string extension) in LogNames)
            {
                if (fileName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    int at = fileName.IndexOf(extension, prefix.Length, StringComparison.OrdinalIgnoreCase);
                    if (at >= 0)
                    {
                        return at;
                    }
                }
            }

            return -1;
        }

        /// <summary>
        /// A log file (any name), a folder (every log named as in <see cref="LogNamePattern"/> below it, oldest first; a
        /// folder of DART zips and no extracted log stands for each zip, see <see cref="DartBundleFolder"/>), or a DART zip
        /// (entries of those names at any depth, oldest first, streamed from the archive).
        /// "Oldest first" means by last write time, then by path (ordinal, any case) when times are equal.
        /// </summary>
        public IEnumerable<DartSyncEvent> Read(string path)
        {
            IReadOnlyList<string> bundles = DartBundleFolder.BundlesIn(path);
            if (bundles.Count > 0)
            {
                return bundles.SelectMany(ReadBundle);
            }

            if (Directory.Exists(path))
            {
                return ReadFolder(path);
            }

            if (!File.Exists(path))
            {
                return Fail(PathFailures.DoesNotExist(ErrorIds.PathNotFound, path, "Check the path; pass a posture log, a folder of logs, or a DART .zip."));
            }

            return ReadFileOrBundle(path, 0, 1);
        }

        /// <summary>
        /// One log from any stream (the caller owns and disposes it); a year-less syslog time is read against
        /// <paramref name="referenceTime"/> (now when null).
        /// </summary>
        public IEnumerable<DartSyncEvent> Read(Stream stream, string logPath, string? bundlePath = null, long totalBytes = -1, DateTime? referenceTime = null) =>
            ReadLog(() => new NonClosingStream(stream), logPath, bundlePath, totalBytes, 0, 1, referenceTime);

        /// <summary>
        /// Orders logs oldest first: by last write time; when times are equal (a zip keeps them to 2 seconds, a copy may
        /// set them all alike), by rotation age, then path (ordinal, any case).
        /// </summary>
        internal static List<T> OldestFirst<T>(IEnumerable<T> logs, Func<T, DateTime> lastWriteUtc, Func<T, string> path) =>
            logs.OrderBy(lastWriteUtc)
                .ThenByDescending(log => RotationAge(FileNameOf(path(log))))
                .ThenBy(path, StringComparer.OrdinalIgnoreCase)
                .ToList();

        /// <summary>
        /// How many rotations old a log's name says it is: 0 for the live log (nothing after ".txt" or ".log"), n for a numbered
        /// copy (".txt.1" is newer than ".txt.2", the usual rotation scheme), and 1 for any other suffix (".txt.old",
        /// ".txt.bak"), which is older than the live log at least [inferred].
        /// </summary>
        internal static int RotationAge(string fileName)
        {
            int extension = ExtensionAt(fileName);
            if (extension < 0)
            {
                return 0;
            }

            string suffix = fileName.Substring(extension + 4).TrimStart('.', '_', '-');
            if (suffix.Length == 0)
            {
                return 0;
            }

            // ASCII digits only: char.IsDigit also accepts other scripts' digits, which no number parser reads.
            int digits = 0, age = 0;
            while (digits < suffix.Length && digits < 9 && suffix[digits] >= '0' && suffix[digits] <= '9')
            {
                age = (age * 10) + (suffix[digits] - '0');
                digits++;
            }

            return digits > 0 ? age : 1;
        }

        private static string FileNameOf(string path)
        {
            int slash = path.LastIndexOfAny(new[] { '/', '\\' });
            return slash < 0 ? path : path.Substring(slash + 1);
        }

        /// <summary>A file whose first bytes are a zip's (whatever its name, e.g. a zipped rotated copy) is a bundle.</summary>
        private IEnumerable<DartSyncEvent> ReadFileOrBundle(string path, int index, int count)
        {
            bool isZip;
            try
            {
                isZip = DartBundle.IsZip(path);
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                return Fail(Unreadable(path, ex));
            }

            return isZip ? ReadBundle(path) : ReadFile(path, index, count);
        }

        private IEnumerable<DartSyncEvent> ReadFolder(string folder)
        {
            var found = new List<FileInfo>();
            bool holdsZips = false;
            CollectLogs(new DirectoryInfo(folder), found, ref holdsZips);
            List<FileInfo> logs = OldestFirst(found, f => f.LastWriteTimeUtc, f => f.FullName);
            if (logs.Count == 0)
            {
                foreach (DartSyncEvent none in Fail(NoLog(folder, "folder", holdsZips)))
                {
                    yield return none;
                }

                yield break;
            }

            for (int i = 0; i < logs.Count; i++)
            {
                foreach (DartSyncEvent e in ReadFileOrBundle(logs[i].FullName, i, logs.Count))
                {
                    yield return e;
                }
            }
        }

        private void CollectLogs(DirectoryInfo folder, List<FileInfo> found, ref bool holdsZips)
        {
            Cancellation.ThrowIfCancellationRequested();
            FileInfo[] files;
            DirectoryInfo[] folders;
            try
            {
                files = folder.GetFiles();
                folders = folder.GetDirectories().Where(child => (child.Attributes & FileAttributes.ReparsePoint) == 0).ToArray();
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                Report(Unreadable(folder.FullName, ex));
                return;
            }

            found.AddRange(files.Where(f => IsPostureLogName(f.Name)));
            holdsZips |= files.Any(f => f.Extension.Equals(".zip", StringComparison.OrdinalIgnoreCase));

            // Links could loop back up the tree (they are left out above); a DART folder has none.
            foreach (DirectoryInfo child in folders)
            {
                CollectLogs(child, found, ref holdsZips);
            }
        }

        private IEnumerable<DartSyncEvent> ReadFile(string path, int index, int count)
        {
            long length;
            DateTime? written = null;
            try
            {
                var file = new FileInfo(path);
                length = file.Length;
                written = file.LastWriteTime;
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                length = -1;
            }

            return ReadLog(() => DartBundle.OpenShared(path), path, null, length, index, count, written);
        }

        private IEnumerable<DartSyncEvent> ReadBundle(string path)
        {
            DartBundle bundle;
            List<ZipArchiveEntry> entries;
            try
            {
                bundle = DartBundle.Open(path);
            }
            catch (Exception ex) when (ex is PostureSyncException || IsReadFailure(ex))
            {
                Report(ex as PostureSyncException ?? Unreadable(path, ex));
                yield break;
            }

            using (bundle)
            {
                try
                {
                    entries = OldestFirst(bundle.FindEntries(IsPostureLogName), e => e.LastWriteTime.UtcDateTime, e => e.FullName);
                }
                catch (Exception ex) when (ex is PostureSyncException || IsReadFailure(ex))
                {
                    Report(ex as PostureSyncException ?? Unreadable(path, ex));
                    yield break;
                }

                if (entries.Count == 0)
                {
                    Report(NoLog(path, "DART bundle", false));
                    yield break;
                }

                for (int i = 0; i < entries.Count; i++)
                {
                    ZipArchiveEntry entry = entries[i];
                    foreach (DartSyncEvent e in ReadLog(() => bundle.OpenEntry(entry), bundle.DisplayPath(entry), path, entry.Length, i, entries.Count, entry.LastWriteTime.DateTime))
                    {
                        yield return e;
                    }
                }
            }
        }

        /// <summary>
        /// The agent's log where it lives on this endpoint (see <see cref="ILiveLogSource"/>), from
        /// <paramref name="since"/> on (and from the query's After, whichever is later). A source that cannot be read
        /// goes to <see cref="Failure"/> (LogNotFound, LogUnreadable, LogTooLarge) like an unreadable file.
        /// </summary>
        public IEnumerable<DartSyncEvent> ReadLive(ILiveLogSource source, DateTime? since)
        {
            DateTime? after = since.HasValue && (!query.After.HasValue || query.After.Value < since.Value) ? since : query.After;
            var live = new DartSyncEventQuery { After = after, Before = query.Before, EventTypes = query.EventTypes, All = query.All };
            IEnumerable<DartSyncEvent> events = ReadRecords(
                () => new PostureLogReader(new LineFeedReader(source.ReadLines(after, Cancellation)), source.Name, live, Cancellation),
                source.Name,
                null,
                -1,
                0,
                1);
            foreach (DartSyncEvent e in events)
            {
                // A source may turn to its fallback once it starts (the journal to /var/log/syslog): name where it read.
                e.LogPath = source.Name;
                yield return e;
            }
        }

        private IEnumerable<DartSyncEvent> ReadLog(Func<Stream> open, string logPath, string? bundlePath, long totalBytes, int index, int count, DateTime? referenceTime) =>
            ReadRecords(
                () => new PostureLogReader(open(), logPath, bundlePath, query, Cancellation, bytes => OnProgress(logPath, bundlePath, index, count, bytes, totalBytes, false), referenceTime),
                logPath,
                bundlePath,
                totalBytes,
                index,
                count);

        private IEnumerable<DartSyncEvent> ReadRecords(Func<PostureLogReader> open, string logPath, string? bundlePath, long totalBytes, int index, int count)
        {
            PostureLogReader log;
            try
            {
                log = open();
            }
            catch (Exception ex) when (ex is PostureSyncException || IsReadFailure(ex))
            {
                Report(ex as PostureSyncException ?? Unreadable(logPath, ex));
                yield break;
            }

            using (log)
            {
                OnProgress(logPath, bundlePath, index, count, 0, totalBytes, false);
                while (true)
                {
                    DartSyncEvent? next;
                    try
                    {
                        next = log.Next();
                    }
                    catch (Exception ex) when (ex is PostureSyncException || IsReadFailure(ex))
                    {
                        Report(ex as PostureSyncException ?? Unreadable(logPath, ex));
                        break;
                    }

                    if (next is null)
                    {
                        break;
                    }

                    yield return next;
                }

                if (log.Records == 0 && log.SkippedLines > 0)
                {
                    // Not a posture log at all: an error for this path (so -ErrorAction Stop and $? work), not a warning.
                    Report(NotAPostureLog(logPath, log.SkippedLines, log.FirstSkippedLine));
                }
                else if (log.SkippedLines > 0 || log.Records == 0)
                {
                    Warning?.Invoke(new DartLogWarning(logPath, bundlePath, log.SkippedLines, log.FirstSkippedLine, log.Records));
                }

                long done = log.BytesRead;
                OnProgress(logPath, bundlePath, index, count, done < 0 ? totalBytes : done, totalBytes, true);
            }
        }

        private void OnProgress(string logPath, string? bundlePath, int index, int count, long bytes, long total, bool completed) =>
            Progress?.Invoke(new DartReadProgress(logPath, bundlePath, index, count, bytes, total, completed));

        private IEnumerable<DartSyncEvent> Fail(PostureSyncException failure)
        {
            Report(failure);
            return Enumerable.Empty<DartSyncEvent>();
        }

        private void Report(PostureSyncException failure)
        {
            if (Failure is null)
            {
                throw failure;
            }

            Failure(failure);
        }

        /// <summary>
        /// What can go wrong reading a file, a folder or a zip entry that is not a bug: I/O, rights, a corrupt or
        /// unsupported compressed stream, a path the platform refuses. Each becomes LogUnreadable or LogAccessDenied.
        /// </summary>
        private static bool IsReadFailure(Exception ex) =>
            ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException || ex is NotSupportedException
            || ex is ArgumentException || ex is System.Security.SecurityException;

        private static PostureSyncException NotAPostureLog(string logPath, long skippedLines, long firstSkippedLine) => new PostureSyncException(
            ErrorIds.PostureLogInvalid,
            FailureKind.InvalidData,
            FormattableString.Invariant($"'{logPath}' is not a posture log: none of its {skippedLines:N0} line(s) reads as an AnyConnect_ISEPosture.txt record ('YYYY/MM/DD HH:MM:SS [Severity] ...', first at line {firstSkippedLine:N0})."),
            logPath)
        {
            RecommendedAction = "Pass AnyConnect_ISEPosture.txt, the folder that holds it, or the DART bundle (.zip) it came in.",
        };

        private static PostureSyncException NoLog(string path, string what, bool holdsZips) => new PostureSyncException(
            ErrorIds.PostureLogNotFound,
            FailureKind.ObjectNotFound,
            holdsZips
                ? $"The {what} '{path}' holds no {LogNamePattern} file. It holds zip files, but a folder is searched for extracted logs only."
                : $"The {what} '{path}' holds no {LogNamePattern} file.",
            path)
        {
            RecommendedAction = holdsZips
                ? $"Pass the bundles themselves: Get-ChildItem -LiteralPath '{path}' -Recurse -Filter *.zip | Get-DartSyncEvents"
                : "Pass the DART bundle itself, the folder it was extracted to, or the log file with -Path.",
        };

        private static PostureSyncException Unreadable(string path, Exception inner) =>
            IoFailures.Read(ErrorIds.LogUnreadable, path, inner, deniedErrorId: ErrorIds.LogAccessDenied);

        /// <summary>Lets a caller's stream be read without the reader closing it.</summary>
        private sealed class NonClosingStream : ForwardReadStream
        {
            public NonClosingStream(Stream inner)
                : base(inner, ownsInner: false)
            {
            }
        }
    }
}
