using System.IO;
using System.IO.Compression;
using System.Text;
using PostureSync.Core.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    public sealed class BundleHostNameTests
    {
        [Theory]
        [InlineData("systeminfo.txt", "\r\nHost Name:                 PC42\r\nOS Name:                   Microsoft Windows 11 Pro\r\n", "PC42")]
        [InlineData("systeminfo.txt", "Computer Name: lab-mac.corp.example\n", "lab-mac.corp.example")]
        [InlineData("hostname", "\n  ubuntu-ws_7  \nsecond line\n", "ubuntu-ws_7")]
        [InlineData("computername.txt", "WS-0042\r\n", "WS-0042")]
        public void AHostNameIsTakenFromASystemFile(string file, string text, string expected) =>
            Assert.Equal(expected, BundleHostName.FromText(file, text));

        [Theory]
        [InlineData("systeminfo.txt", "synthetic system information\n")]
        [InlineData("systeminfo.txt", "Host Name: <script>alert(1)</script>\n")]
        [InlineData("hostname", "two words\n")]
        [InlineData("hostname", "10.1.2.3\n")]
        [InlineData("hostname", "-leading-hyphen\n")]
        [InlineData("hostname", "a..b\n")]
        [InlineData("hostname", "")]
        public void TextThatIsNotAHostNameGivesNone(string file, string text) =>
            Assert.Null(BundleHostName.FromText(file, text));

        [Fact]
        public void ALabelLongerThanDnsAllowsGivesNone() =>
            Assert.Null(BundleHostName.FromText("hostname", new string('a', 64)));

        [Fact]
        public void AZipNamesItsHostFromSysteminfoAnywhereInTheTreeAndOnlyFromTheReadPrefix()
        {
            using var files = new DartTestFiles();
            string named = Zip(files, "named.zip", ("DART/General Information/systeminfo.txt", "Host Name: PC42\r\n"));
            string late = Zip(files, "late.zip", ("DART/General Information/systeminfo.txt", new string('x', BundleHostName.MaxChars) + "\nHost Name: PC43\n"));
            string none = Zip(files, "none.zip", ("DART/System/systeminfo.txt", "synthetic system information"));

            Assert.Equal(("PC42", "DART/General Information/systeminfo.txt"), BundleHostName.Find(named));
            Assert.Null(BundleHostName.Find(late));
            Assert.Null(BundleHostName.Find(none));
        }

        [Fact]
        public void AnExtractedFolderAndAnUnreadableZipAreHandled()
        {
            using var files = new DartTestFiles();
            files.Write(Path.Combine("bundle", "General Information", "hostname.txt"), "ws-9\n");
            string broken = files.Write("broken.zip", "PK\u0003\u0004 not really a zip");

            Assert.Equal("ws-9", BundleHostName.Find(Path.Combine(files.Folder, "bundle"))?.Name);
            Assert.Null(BundleHostName.Find(broken));
        }

        private static string Zip(DartTestFiles files, string name, params (string Entry, string Text)[] entries)
        {
            string path = Path.Combine(files.Folder, name);
            using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create))
            {
                foreach ((string entry, string text) in entries)
                {
                    using var writer = new StreamWriter(zip.CreateEntry(entry).Open(), new UTF8Encoding(false));
                    writer.Write(text);
                }
            }

            return path;
        }
    }
}
