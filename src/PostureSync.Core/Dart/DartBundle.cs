using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// A DART zip read in place: entries are found by file name anywhere in the tree (the inner layout is not public)
    /// and streamed, never extracted. Expansion is bounded so a hostile archive cannot exhaust memory or time.
    /// </summary>
    internal sealed class DartBundle : IDisposable
    {
        /// <summary>No entry may expand beyond this.</summary>
        public const long MaxEntryBytes = 1L << 30;

        /// <summary>Nor beyond this many times its compressed size, once it is past <see cref="RatioFloorBytes"/>.</summary>
        public const int MaxExpansionRatio = 100;

        /// <summary>Entries smaller than this cannot be bombs; the ratio rule would only refuse tiny, very regular files.</summary>
        public const long RatioFloorBytes = 1L << 20;

        private readonly FileStream file;
        private readonly ZipArchive archive;

        private DartBundle(string path, FileStream file, ZipArchive archive)
        {
            Path = path;
            this.file = file;
            this.archive = archive;
        }

        public string Path { get; }

        /// <summary>
        /// True when the file is named .zip or starts like a zip archive. A file that cannot be read throws the I/O
        /// exception: each caller names that failure in its own terms (a log, a profile, a bundle).
        /// </summary>
        public static bool IsZip(string path)
        {
            if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            using FileStream stream = OpenShared(path);
            var magic = new byte[4];
            int read = stream.Read(magic, 0, 4);
            return read == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4;
        }

        /// <summary>Opens a file for reading while the agent may still be writing or rotating it.</summary>
        public static FileStream OpenShared(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.SequentialScan);

        /// <summary>Opens the bundle and reads its directory; ErrorIds DartBundleInvalid, DartBundleUnreadable.</summary>
        public static DartBundle Open(string path)
        {
            FileStream stream;
            try
            {
                stream = OpenShared(path);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.DartBundleUnreadable, path, ex);
            }

            try
            {
                return new DartBundle(path, stream, new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false));
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is ArgumentException)
            {
                stream.Dispose();
                throw Invalid(path, ex);
            }
        }

        /// <summary>Entries whose file name (not folder) satisfies the test, in archive order.</summary>
        public IEnumerable<ZipArchiveEntry> FindEntries(Func<string, bool> fileNameMatches)
        {
            IReadOnlyCollection<ZipArchiveEntry> entries;
            try
            {
                entries = archive.Entries;
            }
            catch (InvalidDataException ex)
            {
                throw Invalid(Path, ex);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.DartBundleUnreadable, Path, ex);
            }

            foreach (ZipArchiveEntry entry in entries)
            {
                string name = EntryFileName(entry.FullName);
                if (name.Length > 0 && fileNameMatches(name))
                {
                    yield return entry;
                }
            }
        }

        /// <summary>
        /// The part of an entry's path after its last '/' or '\'. ZipArchiveEntry.Name is not used: on .NET Framework
        /// it is Path.GetFileName, which throws on a name holding '"', '&lt;', '&gt;' or '|' (one such entry would make
        /// the whole bundle unreadable in Windows PowerShell 5.1), and on .NET Core it splits on '\' only when the zip
        /// says it was made on Windows, so a bundle re-zipped elsewhere with Windows separators would not be searched.
        /// </summary>
        internal static string EntryFileName(string fullName)
        {
            int separator = fullName.LastIndexOfAny(new[] { '/', '\\' });
            return separator < 0 ? fullName : fullName.Substring(separator + 1);
        }

        /// <summary>Opens an entry for streaming, refusing one that would expand beyond the limits.</summary>
        public Stream OpenEntry(ZipArchiveEntry entry)
        {
            long limit = LimitFor(entry.CompressedLength);
            if (entry.Length > limit)
            {
                throw TooLarge(entry, limit);
            }

            try
            {
                return new BoundedStream(entry.Open(), limit, () => TooLarge(entry, limit), ex => Invalid(Path + "!/" + entry.FullName, ex));
            }
            catch (InvalidDataException ex)
            {
                throw Invalid(Path + "!/" + entry.FullName, ex);
            }
        }

        /// <summary>How a bundle entry is named in results: the zip path, '!/', the entry's path inside it.</summary>
        public string DisplayPath(ZipArchiveEntry entry) => Path + "!/" + entry.FullName;

        public void Dispose()
        {
            archive.Dispose();
            file.Dispose();
        }

        private static long LimitFor(long compressed)
        {
            long byRatio = Math.Max(RatioFloorBytes, compressed * MaxExpansionRatio);
            return Math.Min(MaxEntryBytes, byRatio);
        }

        private PostureSyncException TooLarge(ZipArchiveEntry entry, long limit) => new PostureSyncException(
            ErrorIds.DartBundleTooLarge,
            FailureKind.LimitsExceeded,
            // Invariant digits like every other message of the module, whatever the session's culture.
            string.Format(
                CultureInfo.InvariantCulture,
                "The entry '{0}' in '{1}' expands beyond {2:N0} bytes (limits: 1 GB, and {3}x its compressed size of {4:N0} bytes); it was not read.",
                entry.FullName,
                Path,
                limit,
                MaxExpansionRatio,
                entry.CompressedLength),
            Path)
        {
            RecommendedAction = "Check where the bundle came from; a real DART bundle never expands like this. Extract the log yourself and pass the file with -Path if you trust it.",
        };

        private static PostureSyncException Invalid(string path, Exception inner) => new PostureSyncException(
            ErrorIds.DartBundleInvalid,
            FailureKind.InvalidData,
            $"'{path}' is not a readable zip archive: {inner.Message}",
            path,
            inner)
        {
            RecommendedAction = "Collect the DART bundle again (the copy may be truncated), or pass the extracted files with -Path.",
        };

        /// <summary>Counts what is really inflated, since the sizes in the central directory may lie.</summary>
        private sealed class BoundedStream : ForwardReadStream
        {
            private readonly long limit;
            private readonly Func<Exception> tooLarge;
            private readonly Func<Exception, Exception> invalid;
            private long total;

            public BoundedStream(Stream inner, long limit, Func<Exception> tooLarge, Func<Exception, Exception> invalid)
                : base(inner, ownsInner: true)
            {
                this.limit = limit;
                this.tooLarge = tooLarge;
                this.invalid = invalid;
            }

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => total;
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int read;
                try
                {
                    read = Inner.Read(buffer, offset, count);
                }
                catch (InvalidDataException ex)
                {
                    throw invalid(ex);
                }

                total += read;
                if (total > limit)
                {
                    throw tooLarge();
                }

                return read;
            }
        }
    }
}
