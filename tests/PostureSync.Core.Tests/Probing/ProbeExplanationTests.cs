using System;
using System.IO;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Probing
{
    /// <summary>The outcome and words of a probe, from observed facts alone: no socket, no TLS.</summary>
    public sealed class ProbeExplanationTests
    {
        private static ProbeResult Result() => new ProbeResult { TargetName = "psn1.test", TargetAddress = "127.0.0.1", Port = 8449, Sequence = 1 };

        [Theory]
        [InlineData(PortStates.Filtered, PostureStatus.Compliant, "Blocked", "Blocked, as it must be while posture is Compliant.")]
        [InlineData(PortStates.Closed, PostureStatus.Compliant, "Refused", "the dACL is not proven [inferred]")]
        [InlineData(PortStates.Filtered, PostureStatus.Pending, "Blocked", "While posture is Pending the port must be reachable")]
        public void AConnectThatFailsIsJudgedUnderThePostureRule(string state, PostureStatus posture, string outcome, string meaning)
        {
            var explanation = new ProbeExplanation(new HttpsProbeOptions { TimeoutSec = 1.5, PostureStatus = posture });
            ProbeResult result = Result();

            explanation.NotConnected(result, new TcpConnectAttempt(state, null, null, "no answer", null));

            Assert.Equal(outcome, result.Outcome);
            Assert.Contains(meaning, result.Interpretation, StringComparison.Ordinal);
            if (state == PortStates.Filtered)
            {
                Assert.Contains("within 1.5 s", result.Interpretation, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void AnExcludedTargetSaysWhyAndClaimsNothingAboutTheAgent()
        {
            var explanation = new ProbeExplanation(new HttpsProbeOptions { PostureStatus = PostureStatus.Pending });
            ProbeResult excluded = Result();
            ProbeResult unresolved = Result();

            explanation.Excluded(excluded, "'::1' is an IPv6 address, which -AddressFamily IPv4 excludes");
            explanation.Unresolved(unresolved, "'psn1.test' did not resolve: no addresses");

            Assert.Equal(ProbeOutcomes.Excluded, excluded.Outcome);
            Assert.Equal("'::1' is an IPv6 address, which -AddressFamily IPv4 excludes; nothing was sent.", excluded.Interpretation);
            Assert.Equal(ProbeOutcomes.Unresolved, unresolved.Outcome);
            Assert.Contains("[inferred]", unresolved.Interpretation, StringComparison.Ordinal);
        }

        [Fact]
        public void NoPostureGivenMeansOnlyWhatWasObserved()
        {
            var explanation = new ProbeExplanation(new HttpsProbeOptions());
            ProbeResult result = Result();

            explanation.Unresolved(result, "'psn1.test' did not resolve");

            Assert.Equal(ProbeOutcomes.Unresolved, result.Outcome);
            Assert.Equal("'psn1.test' did not resolve; nothing was sent.", result.Interpretation);
        }

        [Fact]
        public void APlainHttpAnswerToTheTlsHelloIsNamedAsSuch()
        {
            var explanation = new ProbeExplanation(new HttpsProbeOptions());
            ProbeResult result = Result();

            explanation.TlsFailed(result, new AuthenticationException("bad record"), null, Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n"));

            Assert.Equal(ProbeOutcomes.TlsFailed, result.Outcome);
            Assert.Contains("answered in plain HTTP", result.Interpretation, StringComparison.Ordinal);
        }

        [Fact]
        public async System.Threading.Tasks.Task AnAnswerSaysTheStatusAndThatItsMeaningIsNotPublic()
        {
            var explanation = new ProbeExplanation(new HttpsProbeOptions { RequestPath = "/auth/status", PostureStatus = PostureStatus.Unknown });
            var reader = new HttpResponseReader(4096);
            await reader.ReadAsync(new MemoryStream(Encoding.ASCII.GetBytes("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")), CancellationToken.None);
            ProbeResult result = Result();
            result.TlsProtocol = "Tls13";
            result.HttpReason = "Forbidden";

            explanation.HttpEnded(result, reader, finished: true);

            Assert.Equal(ProbeOutcomes.Answered, result.Outcome);
            Assert.StartsWith("GET /auth/status sent over Tls13. Observed: HTTP 403 Forbidden.", result.Interpretation, StringComparison.Ordinal);
            Assert.Contains("[inferred]", result.Interpretation, StringComparison.Ordinal);
            Assert.Contains("Reachable, as it must be while posture is Unknown.", result.Interpretation, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(PostureStatus.Compliant, false, true)]
        [InlineData(PostureStatus.NonCompliant, false, true)]
        [InlineData(PostureStatus.Compliant, true, false)]
        [InlineData(PostureStatus.Pending, false, false)]
        public void OnlyAPortThatMustBeBlockedStopsBeforeTlsAndForceGoesOn(PostureStatus posture, bool force, bool stops)
        {
            Assert.Equal(stops, new HttpsProbeOptions { PostureStatus = posture, Force = force }.StopsBeforeTls);
        }
    }
}
