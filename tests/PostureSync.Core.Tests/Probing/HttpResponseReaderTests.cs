using System.IO;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Probing
{
    public class HttpResponseReaderTests
    {
        private static async Task<HttpResponseReader> Read(string response, int limit = 4096)
        {
            var reader = new HttpResponseReader(limit);
            await reader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes(response)), CancellationToken.None);
            return reader;
        }

        [Fact]
        public async Task AResponseWithoutFramingRunsToTheClose()
        {
            HttpResponseReader reader = await Read("HTTP/1.1 403 Forbidden\r\nserver: x\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n\r\nno\x01way");

            Assert.Null(reader.Failure);
            Assert.Equal(403, reader.StatusCode);
            Assert.Equal("Forbidden", reader.Reason);
            Assert.Equal("x", reader.Headers["Server"]);
            Assert.Equal("a, b", reader.Headers["Set-Cookie"]);
            Assert.True(reader.BodyComplete);
            Assert.Equal("no.way", Printable.Fold(Encoding.UTF8.GetString(reader.Body), reader.BodyCut));
        }

        [Fact]
        public async Task AStoppedReaderIgnoresAReadThatCompletesLate()
        {
            var reader = new HttpResponseReader(4096);
            reader.Stop();

            await reader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nServer: late\r\n\r\n")), CancellationToken.None);

            Assert.Null(reader.StatusCode);
            Assert.Empty(reader.Headers);
            Assert.Equal(0, reader.BytesReceived);
        }

        [Theory]
        [InlineData("a\u202Eb\u200Bc\u001b[31md", false, "a.b.c.[31md")]
        [InlineData("  tab\there\r\nnext  ", false, "tab here next")]
        [InlineData("caf\u00e9 \U0001F600", false, "caf\u00e9 \U0001F600")]
        [InlineData("priv\uE000ate", true, "priv.ate ...")]
        public void PrintableTextHidesWhatATerminalWouldActOn(string text, bool cut, string shown)
        {
            Assert.Equal(shown, Printable.Fold(text, cut));
        }

        [Fact]
        public void ServerValuesAreFoldedAndCutToOneCell()
        {
            Assert.Null(Printable.Clean(null, 10));
            Assert.Equal("0123456789...", Printable.Clean("0123456789abc", 10));
            Assert.Equal("Evil.[2J x", Printable.Clean("Evil\u001b[2J\n x", 20));
        }

        [Fact]
        public async Task ABodyLongerThanTheLimitIsCut()
        {
            HttpResponseReader reader = await Read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", limit: 4);

            Assert.Null(reader.Failure);
            Assert.Equal("0123", Encoding.ASCII.GetString(reader.Body));
            Assert.True(reader.BodyCut);
        }

        [Fact]
        public async Task ChunkExtensionsAndTheLastChunkAreUnderstood()
        {
            HttpResponseReader reader = await Read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");

            Assert.Null(reader.Failure);
            Assert.Equal("abcde", Encoding.ASCII.GetString(reader.Body));
            Assert.True(reader.BodyComplete);
            Assert.False(reader.BodyCut);
        }

        [Theory]
        [InlineData("SSH-2.0-OpenSSH_9.6\r\n", "does not start with an HTTP status line")]
        [InlineData("HTTP/1.1 OK\r\n\r\n", "is not HTTP")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "is not a number")]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "is not hexadecimal")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", "closed after 2 body bytes")]
        public async Task MalformedOrTruncatedAnswersSayWhy(string response, string reason)
        {
            HttpResponseReader reader = await Read(response);

            Assert.Contains(reason, reader.Failure);
        }

        [Fact]
        public async Task ResponsesWithoutABodyAreCompleteAtTheHead()
        {
            HttpResponseReader reader = await Read("HTTP/1.1 204 No Content\r\n\r\n");

            Assert.Null(reader.Failure);
            Assert.True(reader.BodyComplete);
            Assert.Empty(reader.Body);
        }

        [Fact]
        public void SubjectAltNamesAreReadFromTheDerOfEveryKind()
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("psn1.example.test");
            san.AddIpAddress(IPAddress.Parse("2001:db8::8449"));
            san.AddIpAddress(IPAddress.Parse("192.0.2.10"));
            san.AddEmailAddress("ise@example.test");
            san.AddUri(new System.Uri("https://psn1.example.test/sync"));

            string[] names = CertificateFacts.ParseGeneralNames(san.Build().RawData);

            Assert.Equal(
                new[] { "DNS:psn1.example.test", "IP:2001:db8::8449", "IP:192.0.2.10", "Email:ise@example.test", "URI:https://psn1.example.test/sync" },
                names);
        }

        [Fact]
        public void BrokenSubjectAltNameDerIsSaidToBeUnreadable()
        {
            Assert.Equal(new[] { "(unreadable subjectAltName extension)" }, CertificateFacts.ParseGeneralNames(new byte[] { 0x30, 0x05, 0x82 }));
            Assert.Equal(new[] { "DNS:a", "(unreadable entry)" }, CertificateFacts.ParseGeneralNames(new byte[] { 0x30, 0x05, 0x82, 0x01, 0x61, 0x82, 0x09 }));
        }
    }
}
