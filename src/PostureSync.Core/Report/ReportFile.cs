using System;
using System.IO;
using System.Text;
using System.Threading;

namespace PostureSync.Core.Report
{
    /// <summary>
    /// Writes the page atomically: into a temporary file beside the target, then renamed over it, so a reader (or a
    /// scheduled task stopped half way) sees the old page or the new one, never half of one.
    /// </summary>
    internal static class ReportFile
    {
        private static readonly Encoding Utf8NoBom = new UTF8Encoding(false);

        /// <param name="path">A full file-system path.</param>
        /// <param name="noClobber">Fail rather than replace an existing file.</param>
        /// <param name="force">Replace a read-only file.</param>
        public static FileInfo Write(ReportDocument document, string path, bool noClobber, bool force, CancellationToken cancellation = default)
        {
            string folder = CheckTarget(path, noClobber, force);
            string temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
                {
                    using (var writer = new StreamWriter(stream, Utf8NoBom, 64 * 1024))
                    {
                        HtmlReportRenderer.Render(document, writer, cancellation);
                        writer.Flush();
                        stream.Flush(true);
                    }
                }

                cancellation.ThrowIfCancellationRequested();
                MoveIntoPlace(temporary, path, noClobber, force);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                TryDelete(temporary);
                throw new PostureSyncException(
                    ex is UnauthorizedAccessException ? ErrorIds.ReportWriteDenied : ErrorIds.ReportWriteFailed,
                    ex is UnauthorizedAccessException ? FailureKind.PermissionDenied : FailureKind.ResourceUnavailable,
                    $"Cannot write '{path}': {ex.Message}",
                    path,
                    ex)
                {
                    RecommendedAction = "Check that you may write to the folder, that it has space, and that no other program holds the file; the old file, if any, is unchanged.",
                };
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }

            return new FileInfo(path);
        }

        /// <summary>Fails as <see cref="Write"/> would on a folder, a missing folder, -NoClobber or a read-only file; gives the folder.</summary>
        public static string CheckTarget(string path, bool noClobber, bool force)
        {
            if (Directory.Exists(path))
            {
                throw new PostureSyncException(ErrorIds.ReportPathIsFolder, FailureKind.InvalidArgument, $"'{path}' is a folder; the report is one file.", path)
                {
                    RecommendedAction = "Give -Path a file name, e.g. " + Path.Combine(path, "posture-sync-report.html") + ".",
                };
            }

            string? folder = Path.GetDirectoryName(path);
            if (folder == null || folder.Length == 0 || !Directory.Exists(folder))
            {
                throw new PostureSyncException(ErrorIds.ReportFolderNotFound, FailureKind.ObjectNotFound, $"Cannot write '{path}': the folder '{folder}' does not exist.", path)
                {
                    RecommendedAction = "Create the folder first, or give -Path in a folder that exists.",
                };
            }

            if (File.Exists(path))
            {
                if (noClobber)
                {
                    throw Exists(path);
                }

                if (!force && (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
                {
                    throw new PostureSyncException(ErrorIds.ReportFileReadOnly, FailureKind.PermissionDenied, $"'{path}' is read-only.", path)
                    {
                        RecommendedAction = "Add -Force to replace a read-only file, or choose another -Path.",
                    };
                }
            }

            return folder;
        }

        private static void MoveIntoPlace(string temporary, string path, bool noClobber, bool force)
        {
            if (noClobber || !File.Exists(path))
            {
                try
                {
                    // Move never replaces: a file that appeared meanwhile is kept, as -NoClobber promises.
                    File.Move(temporary, path);
                    return;
                }
                catch (IOException) when (noClobber && File.Exists(path))
                {
                    throw Exists(path);
                }
            }

            bool readOnly = force && (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
            if (readOnly)
            {
                File.SetAttributes(path, File.GetAttributes(path) & ~FileAttributes.ReadOnly);
            }

            try
            {
                File.Replace(temporary, path, null);
            }
            finally
            {
                // As Export-Csv -Force does: the page that is there afterwards, new or old, is read-only again.
                if (readOnly)
                {
                    File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
                }
            }
        }

        private static PostureSyncException Exists(string path) =>
            new PostureSyncException(ErrorIds.ReportFileExists, FailureKind.ResourceExists, $"'{path}' already exists and -NoClobber was given.", path)
            {
                RecommendedAction = "Choose another -Path, or leave out -NoClobber to replace the file.",
            };

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // The temporary file's name starts with a dot and ends in .tmp; leaving it is the lesser harm.
            }
        }
    }
}
