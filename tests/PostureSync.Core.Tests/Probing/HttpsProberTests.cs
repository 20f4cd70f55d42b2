using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Probing
{
    public class HttpsProberTests
    {
        private const string Psn = "psn1.test";

        // Generous by default: only the tests about timeouts set a short one, so a loaded machine cannot fail the others.
        private static HttpsProber Prober(double timeoutSec = 10, bool skip = true, PostureStatus? posture = null, bool force = false, int count = 1, double interval = 0, string path = "/")
        {
            var options = new HttpsProbeOptions
            {
                TimeoutSec = timeoutSec,
                SkipCertificateCheck = skip,
                PostureStatus = posture,
                Force = force,
                Count = count,
                IntervalSec = interval,
                RequestPath = path,
                UserAgentVersion = "1.2.3",
            };
            return new HttpsProber(options, Resolvers.Of((Psn, "127.0.0.1"), ("psn6.test", "::1"), ("other.test", "127.0.0.1")));
        }

        private static async Task<ProbeResult> ProbeOnce(HttpsProber prober, string target) =>
            Assert.Single(await prober.ProbeAsync(prober.ParseTarget(target), 1, CancellationToken.None));

        [Fact]
        public async Task AnAnsweringServerIsFullyDescribed()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour());
            using HttpsProber prober = Prober(path: "/probe?x=1");

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.Answered, result.Outcome);
            Assert.Equal(PortStates.Open, result.TcpState);
            Assert.StartsWith("Tls1", result.TlsProtocol);
            Assert.False(string.IsNullOrEmpty(result.CipherSuite));
            Assert.Equal(200, result.HttpStatusCode);
            Assert.Equal("OK", result.HttpReason);
            Assert.Equal("LoopbackIse", result.ServerHeader);
            Assert.Equal("text/plain", result.ContentType);
            Assert.Equal("hello", result.BodyPreview);
            Assert.Equal(Psn, server.ServerName);
            Assert.StartsWith("GET /probe?x=1 HTTP/1.1\r\n", server.Request);
            Assert.Contains("\r\nHost: psn1.test:" + server.Port + "\r\n", server.Request);
            Assert.Contains("\r\nUser-Agent: PostureSync/1.2.3\r\n", server.Request);
            Assert.Equal(certificate.Subject, result.CertificateSubject);
            Assert.Equal(certificate.Issuer, result.CertificateIssuer);
            Assert.Equal(certificate.Thumbprint, result.CertificateThumbprint);
            Assert.Equal(new[] { "DNS:psn1.test", "IP:127.0.0.1", "IP:::1" }, result.CertificateSan);
            Assert.Equal(certificate.NotAfter, result.CertificateNotAfter);
            Assert.False(result.CertificateTrusted);
            Assert.NotEmpty(result.CertificateErrors);
            Assert.DoesNotContain(result.CertificateErrors, e => e.StartsWith("NameMismatch", StringComparison.Ordinal));
            Assert.Contains("[inferred]", result.Interpretation);
            Assert.Contains("HTTP 200 OK", result.Interpretation);
            Assert.Equal(1, result.Sequence);
            Assert.Equal("127.0.0.1", result.TargetAddress);
        }

        [Fact]
        public async Task WhatTheServerSaysIsMadePrintableBeforeItIsShown()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            byte[] response = Encoding.UTF8.GetBytes("HTTP/1.1 200 O\u001b[2JK\r\nServer: Ev\u001b[0mil\u0007\r\nContent-Type: text/html\u0000x\r\nContent-Length: 18\r\n\r\nhi\u001b]0;t\u0007\r\n\u200Bthere");
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour { Response = response });
            using HttpsProber prober = Prober();

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.Answered, result.Outcome);
            Assert.Equal("O.[2JK", result.HttpReason);
            Assert.Equal("Ev.[0mil.", result.ServerHeader);
            Assert.Equal("text/html.x", result.ContentType);
            Assert.Equal("hi.]0;t. .there", result.BodyPreview);
            Assert.DoesNotContain('\u001b', result.Interpretation);
        }

        [Fact]
        public async Task CertificateFactsAreFilledWhetherTheCheckIsSkippedOrFails()
        {
            DateTimeOffset notBefore = DateTimeOffset.UtcNow.AddDays(-3);
            using X509Certificate2 certificate = TestCertificates.Create("wrong.test", new[] { "wrong.test" }, Array.Empty<IPAddress>(), notBefore, notBefore.AddDays(1));
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour());
            using HttpsProber strict = Prober(skip: false);
            using HttpsProber skipping = Prober(skip: true);

            foreach (ProbeResult result in new[] { await ProbeOnce(strict, Psn + ":" + server.Port), await ProbeOnce(skipping, Psn + ":" + server.Port) })
            {
                Assert.Equal(certificate.Subject, result.CertificateSubject);
                Assert.Equal(certificate.Issuer, result.CertificateIssuer);
                Assert.Equal(new[] { "DNS:wrong.test" }, result.CertificateSan);
                Assert.Equal(certificate.NotBefore, result.CertificateNotBefore);
                Assert.Equal(certificate.NotAfter, result.CertificateNotAfter);
                Assert.Equal(certificate.Thumbprint, result.CertificateThumbprint);
                Assert.False(result.CertificateTrusted);
                Assert.Contains("NameMismatch: the certificate does not name 'psn1.test'", result.CertificateErrors);
                Assert.Contains(result.CertificateErrors, e => e.StartsWith("NotTimeValid", StringComparison.Ordinal));
            }
        }

        [Fact]
        public async Task EveryReadingBeyondTheObservationIsMarkedInferred()
        {
            using var filtered = new FilteredListener(IPAddress.Parse("127.0.0.7"));
            int closed = ClosedPort.Find(IPAddress.Loopback);
            foreach (PostureStatus? posture in new PostureStatus?[] { null, PostureStatus.Pending, PostureStatus.Compliant })
            {
                using HttpsProber prober = Prober(timeoutSec: 0.3, posture: posture);
                ProbeResult[] results = (await Task.WhenAll(prober.StartRound(
                    new[] { prober.ParseTarget(filtered.EndPoint.ToString()), prober.ParseTarget("127.0.0.1:" + closed) }, 1, CancellationToken.None))).SelectMany(r => r).ToArray();

                Assert.All(results, r => Assert.Contains("[inferred]", r.Interpretation));
                Assert.All(results, r => Assert.Equal(r.Interpretation.Trim(), r.Interpretation));
                Assert.All(results, r => Assert.DoesNotContain("  ", r.Interpretation));
            }
        }

        [Fact]
        public async Task AnUnresolvedNameWhilePendingSaysTheAgentCannotProbeIt()
        {
            using HttpsProber prober = Prober(posture: PostureStatus.Pending);

            ProbeResult result = await ProbeOnce(prober, "unknown.test");

            Assert.Equal(ProbeOutcomes.Unresolved, result.Outcome);
            Assert.Contains("did not resolve", result.Interpretation);
            Assert.Contains("it cannot probe this PSN [inferred]", result.Interpretation);
        }

        [Theory]
        [InlineData("[::1]:8905", AddressFamilyFilter.IPv4, "'::1' is an IPv6 address, which -AddressFamily IPv4 excludes")]
        [InlineData("127.0.0.1:8905", AddressFamilyFilter.IPv6, "'127.0.0.1' is an IPv4 address, which -AddressFamily IPv6 excludes")]
        [InlineData("psn6.test", AddressFamilyFilter.IPv4, "'psn6.test' resolved only to ::1, which -AddressFamily IPv4 excludes")]
        public async Task ATargetTheFamilyFilterLeavesNoAddressIsExcludedNotUnresolved(string target, AddressFamilyFilter family, string says)
        {
            var options = new HttpsProbeOptions { TimeoutSec = 10, AddressFamily = family, PostureStatus = PostureStatus.Pending, UserAgentVersion = "1.2.3" };
            using var prober = new HttpsProber(options, Resolvers.Of(("psn6.test", "::1")));

            ProbeResult result = await ProbeOnce(prober, target);

            Assert.Equal(ProbeOutcomes.Excluded, result.Outcome);
            Assert.Equal(PortStates.Excluded, result.TcpState);
            Assert.Null(result.TargetAddress);
            Assert.StartsWith(says + "; nothing was sent.", result.Interpretation);
            Assert.DoesNotContain("resolve the name", result.Interpretation);
        }

        [Fact]
        public async Task AnUntrustedCertificateStopsTheExchangeUnlessSkipped()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour());
            using HttpsProber prober = Prober(skip: false);

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.TlsFailed, result.Outcome);
            // With TLS 1.3 the server may finish its side first; what matters is that no request byte arrived.
            Assert.True(string.IsNullOrEmpty(server.Request));
            Assert.Equal(certificate.Thumbprint, result.CertificateThumbprint);
            Assert.False(result.CertificateTrusted);
            Assert.Contains("certificate did not pass", result.Interpretation);
            Assert.Contains("-SkipCertificateCheck", result.Interpretation);
        }

        [Fact]
        public async Task AnExpiredCertificateIsReportedAsNotTimeValid()
        {
            using X509Certificate2 certificate = TestCertificates.Expired(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour());
            using HttpsProber prober = Prober();

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.Answered, result.Outcome);
            Assert.Contains(result.CertificateErrors, e => e.StartsWith("NotTimeValid", StringComparison.Ordinal));
            Assert.True(result.CertificateNotAfter < DateTime.Now);
            Assert.Contains("whether the agent accepts it is not public [inferred]", result.Interpretation);
        }

        [Fact]
        public async Task AWronglyNamedCertificateIsReportedAsANameMismatch()
        {
            using X509Certificate2 certificate = TestCertificates.Create("wrong.test", new[] { "wrong.test" }, Array.Empty<IPAddress>(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour());
            using HttpsProber prober = Prober(skip: false);

            ProbeResult result = await ProbeOnce(prober, "other.test:" + server.Port);

            Assert.Equal(ProbeOutcomes.TlsFailed, result.Outcome);
            Assert.Equal("other.test", server.ServerName);
            Assert.Contains("NameMismatch: the certificate does not name 'other.test'", result.CertificateErrors);
            Assert.Equal(new[] { "DNS:wrong.test" }, result.CertificateSan);
        }

        [Fact]
        public async Task APlainTcpServerIsNotTakenForTls()
        {
            using var server = new LoopbackServer(IPAddress.Loopback, async (stream, token) =>
            {
                var buffer = new byte[512];
                _ = await stream.ReadAsync(buffer, token);
                byte[] answer = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(answer, token);
            });
            using HttpsProber prober = Prober();

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.TlsFailed, result.Outcome);
            Assert.Contains("plain HTTP", result.Interpretation);
            Assert.Null(result.CertificateThumbprint);
        }

        [Fact]
        public async Task AServerAnsweringOneBytePerSecondIsCutAtTheTimeout()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour { PerByteDelay = TimeSpan.FromSeconds(1) });
            using HttpsProber prober = Prober(timeoutSec: 1.5);

            Stopwatch watch = Stopwatch.StartNew();
            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.Timeout, result.Outcome);
            Assert.Null(result.HttpStatusCode);
            Assert.Contains("did not arrive within 1.5 s", result.Interpretation);
            // Not before the timeout; the server dribbles a byte a second for far longer, so the upper bound only
            // needs to stay below that, with room for a busy machine.
            Assert.InRange(watch.Elapsed.TotalSeconds, 1.4, 1.5 * 4);
            Assert.NotNull(result.TlsProtocol);
        }

        [Fact]
        public async Task AServerSilentAfterConnectTimesOutInTheHandshake()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour { Silent = true });
            using HttpsProber prober = Prober(timeoutSec: 0.5);

            Stopwatch watch = Stopwatch.StartNew();
            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.Timeout, result.Outcome);
            Assert.Contains("TLS handshake did not finish within 0.5 s", result.Interpretation);
            Assert.True(watch.Elapsed.TotalSeconds < 0.5 * 10, "took " + watch.Elapsed + " with a 0.5 s timeout");
        }

        [Fact]
        public async Task AServerClosingInTheHeadersIsAnHttpFailure()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour { CloseAfterBytes = 20 });
            using HttpsProber prober = Prober();

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.HttpFailed, result.Outcome);
            Assert.Contains("before the end of the response headers", result.Interpretation);
        }

        [Fact]
        public async Task AServerClosingInTheBodyIsAnHttpFailureThatKeepsTheStatus()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            byte[] response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour { Response = response });
            using HttpsProber prober = Prober();

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.HttpFailed, result.Outcome);
            Assert.Equal(200, result.HttpStatusCode);
            Assert.Equal("0123456789 ...", result.BodyPreview);
            Assert.Contains("closed after 10 body bytes", result.Interpretation);
        }

        [Fact]
        public async Task ALongChunkedBodyIsDecodedAndCutAtTheLimit()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            var text = new StringBuilder("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n");
            for (int i = 0; i < 10; i++)
            {
                text.Append("400\r\n").Append(new string((char)('a' + i), 1024)).Append("\r\n");
            }

            text.Append("0\r\n\r\n");
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour { Response = Encoding.ASCII.GetBytes(text.ToString()) });
            using HttpsProber prober = Prober();

            ProbeResult result = await ProbeOnce(prober, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.Answered, result.Outcome);
            Assert.Equal(404, result.HttpStatusCode);
            Assert.Equal(new string('a', 1024) + new string('b', 1024) + new string('c', 1024) + new string('d', 1024) + " ...", result.BodyPreview);
        }

        [Fact]
        public async Task WhileCompliantAnOpenPortStopsBeforeTlsUnlessForced()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour());
            using HttpsProber careful = Prober(posture: PostureStatus.Compliant);

            ProbeResult stopped = await ProbeOnce(careful, Psn + ":" + server.Port);

            Assert.Equal(ProbeOutcomes.StoppedToAvoidAlarm, stopped.Outcome);
            Assert.Equal(PortStates.Open, stopped.TcpState);
            Assert.Null(stopped.TlsProtocol);
            Assert.Contains("the dACL lacks the deny for this PSN", stopped.Interpretation);
            Assert.Contains("-Force", stopped.Interpretation);
            Assert.Null(server.ServerName);

            using HttpsProber forced = Prober(posture: PostureStatus.NonCompliant, force: true);
            ProbeResult answered = await ProbeOnce(forced, Psn + ":" + server.Port);
            Assert.Equal(ProbeOutcomes.Answered, answered.Outcome);
            Assert.Contains("Posture Configuration Detection", answered.Interpretation);
        }

        [Fact]
        public async Task FilteredClosedAndUnresolvedTargetsEndBeforeTls()
        {
            using var filtered = new FilteredListener(IPAddress.Parse("127.0.0.5"));
            int closed = ClosedPort.Find(IPAddress.Loopback);
            using HttpsProber prober = Prober(timeoutSec: 0.5, posture: PostureStatus.Compliant);

            IReadOnlyList<Task<IReadOnlyList<ProbeResult>>> round = prober.StartRound(
                new[] { prober.ParseTarget(filtered.EndPoint.ToString()), prober.ParseTarget("127.0.0.1:" + closed), prober.ParseTarget("unknown.test") }, 1, CancellationToken.None);
            ProbeResult[] results = (await Task.WhenAll(round)).SelectMany(r => r).ToArray();

            Assert.Equal(new[] { ProbeOutcomes.Blocked, ProbeOutcomes.Refused, ProbeOutcomes.Unresolved }, results.Select(r => r.Outcome));
            Assert.Equal(new[] { PortStates.Filtered, PortStates.Closed, PortStates.Unresolved }, results.Select(r => r.TcpState));
            Assert.Contains("as it must be while posture is Compliant", results[0].Interpretation);
            Assert.Contains("did not resolve", results[2].Interpretation);
        }

        [Fact]
        public async Task IPv6LoopbackIsProbed()
        {
            using X509Certificate2 certificate = TestCertificates.Valid("psn6.test");
            using var server = new TlsServer(IPAddress.IPv6Loopback, certificate, new TlsBehaviour());
            using HttpsProber prober = Prober();

            ProbeResult named = await ProbeOnce(prober, "psn6.test:" + server.Port);
            ProbeResult literal = await ProbeOnce(prober, "[::1]:" + server.Port);

            Assert.Equal(ProbeOutcomes.Answered, named.Outcome);
            Assert.Equal("::1", named.TargetAddress);
            Assert.Equal(ProbeOutcomes.Answered, literal.Outcome);
            Assert.Contains("\r\nHost: [::1]:" + server.Port + "\r\n", server.Request);
            Assert.DoesNotContain(literal.CertificateErrors, e => e.StartsWith("NameMismatch", StringComparison.Ordinal));
        }

        [Fact]
        public void RoundsAreNumberedAndSpacedByTheInterval()
        {
            using X509Certificate2 certificate = TestCertificates.Valid(Psn);
            using var server = new TlsServer(IPAddress.Loopback, certificate, new TlsBehaviour());
            using HttpsProber prober = Prober(count: 3, interval: 0.3);

            DateTime started = DateTime.Now;
            Stopwatch watch = Stopwatch.StartNew();
            List<ProbeResult> results = prober.Run(new[] { prober.ParseTarget(Psn + ":" + server.Port) }, CancellationToken.None).ToList();

            Assert.Equal(new[] { 1, 2, 3 }, results.Select(r => r.Sequence));
            Assert.All(results, r => Assert.Equal(ProbeOutcomes.Answered, r.Outcome));
            Assert.True(watch.Elapsed.TotalSeconds >= 0.6, "took " + watch.Elapsed);
            // The third round starts two intervals after the run did. Measured from the run's start, not from the first
            // round's timestamp, which a loaded machine may record late (that made the gap look short, never long).
            Assert.True(results[2].Timestamp - started >= TimeSpan.FromSeconds(0.55), "third round at " + (results[2].Timestamp - started));
            Assert.True(results[0].Timestamp <= results[1].Timestamp && results[1].Timestamp <= results[2].Timestamp);
            Assert.Equal(3, server.Connections);
        }

        [Fact]
        public void CancellationEndsTheWaitBetweenRounds()
        {
            int closed = ClosedPort.Find(IPAddress.Loopback);
            using HttpsProber prober = Prober(count: 5, interval: 60);
            using var cancel = new CancellationTokenSource();
            var seen = new List<ProbeResult>();
            Stopwatch watch = Stopwatch.StartNew();

            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (ProbeResult result in prober.Run(new[] { prober.ParseTarget("127.0.0.1:" + closed) }, cancel.Token))
                {
                    seen.Add(result);
                    cancel.CancelAfter(200);
                }
            });

            Assert.Single(seen);
            Assert.True(watch.Elapsed.TotalSeconds < 10, "took " + watch.Elapsed);
        }

        [Theory]
        [InlineData("probe", "InvalidRequestPath")]
        [InlineData("/a b", "InvalidRequestPath")]
        [InlineData("/x\r\nEvil: 1", "InvalidRequestPath")]
        public void BadRequestPathsAreRefused(string path, string errorId)
        {
            PostureSyncException ex = Assert.Throws<PostureSyncException>(() => Prober(path: path));
            Assert.Equal(errorId, ex.ErrorId);
        }

        [Fact]
        public void BadCountsAndIntervalsAreRefused()
        {
            Assert.Equal("InvalidCount", Assert.Throws<PostureSyncException>(() => Prober(count: 0)).ErrorId);
            Assert.Equal("InvalidInterval", Assert.Throws<PostureSyncException>(() => Prober(interval: -1)).ErrorId);
        }
    }
}
