using System;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Net;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Probing
{
    /// <summary>A lookup that throws is one answer, whichever check meets it: Unresolved, with the reason. Nothing is sent.</summary>
    public sealed class ResolverFailureTests
    {
        [Fact]
        public async Task APortScanAndAnHttpsProbeReportALookupThatThrowsAlikeAsUnresolved()
        {
            using var scanner = new PortScanner(new PortScanOptions { TimeoutSec = 1, PostureStatus = PostureStatus.Pending }, new BrokenResolver());
            using var prober = new HttpsProber(new HttpsProbeOptions { TimeoutSec = 1, PostureStatus = PostureStatus.Pending }, new BrokenResolver());

            PortTestResult port = Assert.Single(await scanner.TestAsync(scanner.ParseTarget("psn1.example.test"), CancellationToken.None));
            ProbeResult probe = Assert.Single(await prober.ProbeAsync(ProbeTarget.Parse("psn1.example.test", PostureSyncRule.SyncPort), 1, CancellationToken.None));

            Assert.Equal(PortStates.Unresolved, port.State);
            Assert.Equal(PortStates.Unresolved, probe.TcpState);
            Assert.Equal(ProbeOutcomes.Unresolved, probe.Outcome);
            Assert.Contains("'psn1.example.test' could not be looked up: the resolver is broken", port.Message);
            Assert.Contains("'psn1.example.test' could not be looked up: the resolver is broken", probe.Interpretation);
            Assert.Null(port.TargetAddress);
        }

        private sealed class BrokenResolver : IHostResolver
        {
            public Task<HostResolution> ResolveAsync(string host, TimeSpan timeout, CancellationToken cancellationToken) =>
                throw new InvalidOperationException("the resolver is broken");
        }
    }
}
