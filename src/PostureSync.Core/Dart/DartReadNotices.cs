using System;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Lines of one log that are not records, or a log with no line at all: reported once per log, after it has been
    /// read. A log with lines and no record is not a posture log; that is an error (PostureLogInvalid), not this.
    /// </summary>
    internal sealed class DartLogWarning
    {
        internal DartLogWarning(string logPath, string? bundlePath, long skippedLines, long firstSkippedLine, long records)
        {
            LogPath = logPath;
            BundlePath = bundlePath;
            SkippedLines = skippedLines;
            FirstSkippedLine = firstSkippedLine;
            Records = records;
            // Invariant digit grouping, as in every other message of the module, whatever the session's culture.
            Message = records == 0 && skippedLines == 0
                ? $"'{logPath}' is empty: it holds no posture log records."
                : records == 0
                ? FormattableString.Invariant($"'{logPath}' holds no posture log records: its {skippedLines:N0} line(s) could not be read as AnyConnect_ISEPosture.txt records (first at line {firstSkippedLine:N0}). It is binary or not a posture log.")
                : FormattableString.Invariant($"'{logPath}': {skippedLines:N0} line(s) before the first record or unreadable were skipped (first at line {firstSkippedLine:N0}).");
        }

        public string LogPath { get; }

        public string? BundlePath { get; }

        /// <summary>Lines before the first record, and lines that cannot be read as text (control characters, NUL).</summary>
        public long SkippedLines { get; }

        /// <summary>1-based.</summary>
        public long FirstSkippedLine { get; }

        /// <summary>Records found in the log, kept or not.</summary>
        public long Records { get; }

        /// <summary>Ready to show as a warning.</summary>
        public string Message { get; }
    }

    /// <summary>How far the reading of one log has come.</summary>
    internal sealed class DartReadProgress
    {
        internal DartReadProgress(string logPath, string? bundlePath, int logIndex, int logCount, long bytesRead, long totalBytes, bool completed)
        {
            LogPath = logPath;
            BundlePath = bundlePath;
            LogIndex = logIndex;
            LogCount = logCount;
            BytesRead = bytesRead;
            TotalBytes = totalBytes;
            Completed = completed;
        }

        public string LogPath { get; }

        public string? BundlePath { get; }

        /// <summary>0-based position of this log among the logs of the current path (folder or bundle).</summary>
        public int LogIndex { get; }

        public int LogCount { get; }

        /// <summary>Bytes consumed so far (uncompressed for a bundle entry); read ahead in 64 KB steps.</summary>
        public long BytesRead { get; }

        /// <summary>The log's size in bytes (uncompressed for a bundle entry), or -1 when unknown.</summary>
        public long TotalBytes { get; }

        /// <summary>True on the last report for this log.</summary>
        public bool Completed { get; }

        /// <summary>0–100, or -1 when the size is unknown.</summary>
        public int PercentComplete => TotalBytes <= 0 ? -1 : (int)System.Math.Min(100, BytesRead * 100 / TotalBytes);
    }
}
