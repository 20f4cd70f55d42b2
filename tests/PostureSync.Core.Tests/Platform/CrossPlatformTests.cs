using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using PostureSync.Core.Dart;
using PostureSync.Core.Net;
using PostureSync.Core.Probing;
using PostureSync.Core.Tests.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Platform
{
    /// <summary>
    /// Behaviour that differs between Windows PowerShell 5.1 (.NET Framework), PowerShell 7 and the OSes, pinned where
    /// Linux can show it: zip entry separators, the session culture in messages, the TLS version fallback.
    /// </summary>
    public class CrossPlatformTests
    {
        private static readonly DateTime Day = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);

        [Theory]
        [InlineData("AnyConnect_ISEPosture.txt", "AnyConnect_ISEPosture.txt")]
        [InlineData("DART/Cisco/AnyConnect_ISEPosture.txt", "AnyConnect_ISEPosture.txt")]
        [InlineData("DART\\Cisco\\AnyConnect_ISEPosture.txt", "AnyConnect_ISEPosture.txt")]
        [InlineData("odd|<name>\".txt", "odd|<name>\".txt")]
        [InlineData("Cisco/", "")]
        public void ZipEntryFileNamesSplitOnBothSeparatorsAndNeverThrow(string fullName, string expected)
        {
            Assert.Equal(expected, DartBundle.EntryFileName(fullName));
        }

        [Fact]
        public void ABundleWithWindowsSeparatorsMadeOffWindowsIsStillSearched()
        {
            // A zip written here is marked "made on Unix", so ZipArchiveEntry.Name would keep the whole backslashed path.
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "dart.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                ZipArchiveEntry entry = archive.CreateEntry("DART\\Cisco Secure Client\\ISE Posture\\AnyConnect_ISEPosture.txt");
                entry.LastWriteTime = new DateTimeOffset(Day);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(DartTestFiles.Record("2024/05/01 10:00:00", "PeriodicProbe::sessionSyncProbe", "found"));
            }

            DartSyncEvent e = Assert.Single(files.Reader().Read(zip));

            Assert.Equal("found", e.Message);
            Assert.Equal(zip + "!/DART\\Cisco Secure Client\\ISE Posture\\AnyConnect_ISEPosture.txt", e.LogPath);
            Assert.Empty(files.Failures);
        }

        [Fact]
        public void MessagesUseInvariantNumbersUnderAGermanCulture()
        {
            InCulture("de-DE", () =>
            {
                var warning = new DartLogWarning("x.txt", null, 12345, 2, 0);
                Assert.Contains("12,345 line(s)", warning.Message, StringComparison.Ordinal);

                Assert.Equal("0.5", SystemHostResolver.Seconds(TimeSpan.FromSeconds(0.5)));
            });
        }

        [Fact]
        public void ATooLargeEntryIsReportedWithInvariantNumbersUnderAGermanCulture()
        {
            using var files = new DartTestFiles();
            string zip = Path.Combine(files.Folder, "dart.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                ZipArchiveEntry entry = archive.CreateEntry("AnyConnect_ISEPosture.txt", CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(new string('A', 4 << 20));
            }

            InCulture("de-DE", () => Assert.Empty(files.Reader().Read(zip)));

            PostureSyncException failure = Assert.Single(files.Failures);
            Assert.Equal("DartBundleTooLarge", failure.ErrorId);
            Assert.Contains("beyond 1,048,576 bytes", failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task TlsVersionsAreNamedWhenTheRuntimeRefusesTheSystemDefaultAtOnce()
        {
            using var tls = new RecordingSslStream(refuseNone: NoneRefusal.Throw);

            await HttpsProber.StartHandshake(tls, "psn1.test");

            Assert.Equal(new[] { SslProtocols.None, HttpsProber.NamedProtocols }, tls.Requested);
            Assert.True((HttpsProber.NamedProtocols & SslProtocols.Tls12) != 0);
        }

        [Fact]
        public async Task TlsVersionsAreNamedWhenTheRuntimeRefusesTheSystemDefaultThroughTheTask()
        {
            using var tls = new RecordingSslStream(refuseNone: NoneRefusal.FaultedTask);

            await HttpsProber.StartHandshake(tls, "psn1.test");

            Assert.Equal(new[] { SslProtocols.None, HttpsProber.NamedProtocols }, tls.Requested);
        }

        [Fact]
        public async Task TheSystemDefaultIsAskedOnceWhereTheRuntimeTakesIt()
        {
            using var tls = new RecordingSslStream(refuseNone: NoneRefusal.No);

            await HttpsProber.StartHandshake(tls, "psn1.test");

            Assert.Equal(new[] { SslProtocols.None }, tls.Requested);
        }

        [Fact]
        public async Task AFailedHandshakeIsNotRetried()
        {
            using var tls = new RecordingSslStream(refuseNone: NoneRefusal.No) { Failure = new AuthenticationException("bad certificate") };

            await Assert.ThrowsAsync<AuthenticationException>(() => HttpsProber.StartHandshake(tls, "psn1.test"));

            Assert.Equal(new[] { SslProtocols.None }, tls.Requested);
        }

        private static void InCulture(string name, Action action)
        {
            CultureInfo before = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = new CultureInfo(name);
            try
            {
                // The test is void when the runtime has no culture data (invariant globalization mode).
                Assert.Equal(",", CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator);
                action();
            }
            finally
            {
                CultureInfo.CurrentCulture = before;
            }
        }

        private enum NoneRefusal
        {
            No,
            Throw,
            FaultedTask,
        }

        /// <summary>Stands in for .NET Framework's argument check: records what was asked and answers at once.</summary>
        private sealed class RecordingSslStream : SslStream
        {
            private readonly NoneRefusal refuseNone;

            public RecordingSslStream(NoneRefusal refuseNone)
                : base(new MemoryStream())
            {
                this.refuseNone = refuseNone;
            }

            public List<SslProtocols> Requested { get; } = new List<SslProtocols>();

            public Exception? Failure { get; set; }

            public override Task AuthenticateAsClientAsync(string targetHost, X509CertificateCollection? clientCertificates, SslProtocols enabledSslProtocols, bool checkCertificateRevocation)
            {
                Requested.Add(enabledSslProtocols);
                if (enabledSslProtocols == SslProtocols.None && refuseNone == NoneRefusal.Throw)
                {
                    throw new ArgumentException("The specified value is not valid in the 'SslProtocolType' enumeration.", "sslProtocolType");
                }

                if (enabledSslProtocols == SslProtocols.None && refuseNone == NoneRefusal.FaultedTask)
                {
                    return Task.FromException(new ArgumentException("The specified value is not valid in the 'SslProtocolType' enumeration.", "sslProtocolType"));
                }

                return Failure is null ? Task.CompletedTask : Task.FromException(Failure);
            }
        }
    }
}
