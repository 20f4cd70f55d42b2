using System;
using System.IO;
using PostureSync.Core.Report;
using Xunit;

namespace PostureSync.Core.Tests.Report
{
    public sealed class ReportFileTests : IDisposable
    {
        private readonly string folder = Directory.CreateTempSubdirectory("posturesync-report-").FullName;

        public void Dispose()
        {
            foreach (string file in Directory.GetFiles(folder))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(folder, true);
        }

        [Fact]
        public void Replaces_an_existing_page_whole_and_leaves_no_temporary_file()
        {
            string path = Path.Combine(folder, "report.html");
            File.WriteAllText(path, "old");

            FileInfo written = ReportFile.Write(ReportSamples.Fleet(3, 1), path, noClobber: false, force: false);

            Assert.Equal(path, written.FullName);
            string page = File.ReadAllText(path);
            Assert.StartsWith("<!DOCTYPE html>", page);
            Assert.EndsWith("</html>\n", page);
            Assert.Equal(new[] { path }, Directory.GetFiles(folder));
        }

        [Fact]
        public void No_clobber_keeps_the_existing_file_and_says_so()
        {
            string path = Path.Combine(folder, "report.html");
            File.WriteAllText(path, "old");

            var failure = Assert.Throws<PostureSyncException>(() => ReportFile.Write(ReportSamples.Fleet(3, 1), path, noClobber: true, force: false));

            Assert.Equal("ReportFileExists", failure.ErrorId);
            Assert.Equal(FailureKind.ResourceExists, failure.Kind);
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void A_cancelled_write_leaves_the_old_page_and_no_temporary_file()
        {
            string path = Path.Combine(folder, "report.html");
            File.WriteAllText(path, "old");
            using var cancelled = new System.Threading.CancellationTokenSource();
            cancelled.Cancel();

            Assert.ThrowsAny<OperationCanceledException>(() => ReportFile.Write(ReportSamples.Fleet(1000, 1), path, noClobber: false, force: false, cancelled.Token));

            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void A_read_only_page_is_replaced_only_with_force()
        {
            string path = Path.Combine(folder, "report.html");
            File.WriteAllText(path, "old");
            File.SetAttributes(path, FileAttributes.ReadOnly);

            var failure = Assert.Throws<PostureSyncException>(() => ReportFile.Write(ReportSamples.Fleet(1, 0), path, noClobber: false, force: false));
            Assert.Equal("ReportFileReadOnly", failure.ErrorId);
            Assert.Equal("old", File.ReadAllText(path));

            ReportFile.Write(ReportSamples.Fleet(1, 0), path, noClobber: false, force: true);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));

            // As Export-Csv -Force does, the new page is read-only again, so the next run without -Force still refuses.
            Assert.True((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0, "the replaced page is no longer read-only");
            Assert.Equal("ReportFileReadOnly", Assert.Throws<PostureSyncException>(() => ReportFile.Write(ReportSamples.Fleet(1, 0), path, noClobber: false, force: false)).ErrorId);
            Assert.Single(Directory.GetFiles(folder));
        }

        [Fact]
        public void A_folder_or_a_missing_folder_is_a_clear_error_and_nothing_is_written()
        {
            Assert.Equal("ReportPathIsFolder", Assert.Throws<PostureSyncException>(() => ReportFile.Write(ReportSamples.Fleet(1, 0), folder, false, false)).ErrorId);
            string missing = Path.Combine(folder, "no-such-folder", "report.html");
            var failure = Assert.Throws<PostureSyncException>(() => ReportFile.Write(ReportSamples.Fleet(1, 0), missing, false, false));
            Assert.Equal("ReportFolderNotFound", failure.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, failure.Kind);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
    }
}
