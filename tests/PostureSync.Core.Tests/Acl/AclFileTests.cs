using System;
using System.IO;
using System.Text;
using PostureSync.Core.Acl;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    public sealed class AclFileTests : IDisposable
    {
        private readonly string temp = Directory.CreateTempSubdirectory("psync-aclfile-").FullName;

        public void Dispose() => Directory.Delete(temp, recursive: true);

        [Fact]
        public void ReadsUtf8AndUtf16ByTheirMarks()
        {
            string utf16 = Path.Combine(temp, "dacl16.txt");
            File.WriteAllText(utf16, "deny tcp any host 10.1.1.1 eq 8449\n", Encoding.Unicode);

            Assert.Equal("deny tcp any host 10.1.1.1 eq 8449\n", AclFile.Read(utf16));
        }

        [Fact]
        public void RefusesAFolderAFileTooLargeAndAMissingFileWithTheirErrorIds()
        {
            string big = Path.Combine(temp, "big.txt");
            using (FileStream stream = File.Create(big))
            {
                stream.SetLength(AclFile.MaxBytes + 1);
            }

            Assert.Equal("DaclPathIsFolder", Assert.Throws<PostureSyncException>(() => AclFile.Read(temp)).ErrorId);
            Assert.Equal("DaclTooLarge", Assert.Throws<PostureSyncException>(() => AclFile.Read(big)).ErrorId);
            PostureSyncException missing = Assert.Throws<PostureSyncException>(() => AclFile.Read(Path.Combine(temp, "none.txt")));
            Assert.Equal("DaclReadFailed", missing.ErrorId);
            Assert.Equal(FailureKind.ResourceUnavailable, missing.Kind);
        }
    }
}
