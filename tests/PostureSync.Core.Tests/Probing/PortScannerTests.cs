using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Probing
{
    public class PortScannerTests
    {
        /// <summary>
        /// Slack for work that should be immediate (a cancellation, a dispose): a busy machine can delay it by seconds,
        /// yet it stays far below the 60 s timeout a broken cancellation would wait out.
        /// </summary>
        private const double LoadMarginSec = 10;

        private static readonly IPAddress Loopback = IPAddress.Loopback;

        private static PortScanner Scanner(double timeoutSec, PostureStatus? posture = null, int throttle = 32, AddressFamilyFilter family = AddressFamilyFilter.Any, Core.Net.IHostResolver? resolver = null) =>
            new PortScanner(
                new PortScanOptions { TimeoutSec = timeoutSec, PostureStatus = posture, ThrottleLimit = throttle, AddressFamily = family },
                resolver ?? Resolvers.Of(("psn-dual.test", "127.0.0.1"), ("psn-dual.test", "::1"), ("psn-v4.test", "127.0.0.1")),
                "TESTHOST");

        [Fact]
        public async Task EachStateComesBackInInputOrderWithinOneTimeout()
        {
            using var filtered = new FilteredListener(IPAddress.Parse("127.0.0.2"));
            var sent = new ConcurrentBag<int>();
            using var open = LoopbackServer.Counting(Loopback, sent);
            int closed = ClosedPort.Find(Loopback);
            using PortScanner scanner = Scanner(1);
            string[] input = { "127.0.0.2:" + filtered.Port, "127.0.0.1:" + open.Port, "127.0.0.1:" + closed, "nowhere.test" };

            Stopwatch watch = Stopwatch.StartNew();
            IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(input.Select(scanner.ParseTarget), CancellationToken.None);
            watch.Stop();

            Assert.Equal(new[] { PortStates.Filtered, PortStates.Open, PortStates.Closed, PortStates.Unresolved }, results.Select(r => r.State));
            Assert.Equal(new[] { "127.0.0.2", "127.0.0.1", "127.0.0.1", "nowhere.test" }, results.Select(r => r.TargetName));
            // Never before the filtered target's timeout; the upper bound is wide (a busy machine delays the rest).
            Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 1 + LoadMarginSec);
            Assert.All(results, r => Assert.Equal(Verdicts.Info, r.Verdict));
            Assert.All(results, r => Assert.Equal("TESTHOST", r.Source));
            Assert.Equal("TimedOut", results[0].SocketError);
            Assert.Null(results[0].LatencyMs);
            Assert.NotNull(results[1].LatencyMs);
            Assert.Null(results[1].SocketError);
            Assert.Equal("ConnectionRefused", results[2].SocketError);
            Assert.Null(results[3].TargetAddress);
            Assert.Contains("did not resolve", results[3].Message);
            Assert.Contains("no answer within 1 s", results[0].Message);
        }

        [Fact]
        public async Task AnOpenPortIsConnectedAndClosedWithoutSendingAByte()
        {
            var sent = new ConcurrentBag<int>();
            using var server = LoopbackServer.Counting(Loopback, sent);
            using PortScanner scanner = Scanner(2);

            IReadOnlyList<PortTestResult> results = await scanner.TestAsync(scanner.ParseTarget("127.0.0.1:" + server.Port), CancellationToken.None);

            Assert.Equal(PortStates.Open, Assert.Single(results).State);
            // The server records the closed connection on its own thread, which a busy machine can delay.
            SpinWait.SpinUntil(() => !sent.IsEmpty, TimeSpan.FromSeconds(30));
            Assert.Equal(0, Assert.Single(sent));
        }

        [Fact]
        public async Task ManyFilteredTargetsTakeAboutOneTimeoutNotOneEach()
        {
            var listeners = Enumerable.Range(2, 12).Select(i => new FilteredListener(IPAddress.Parse("127.0.0." + i))).ToList();
            try
            {
                using PortScanner scanner = Scanner(0.8);
                Stopwatch watch = Stopwatch.StartNew();
                IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(
                    listeners.Select(l => scanner.ParseTarget(l.EndPoint.ToString())), CancellationToken.None);
                watch.Stop();

                Assert.Equal(12, results.Count);
                Assert.All(results, r => Assert.Equal(PortStates.Filtered, r.State));
                Assert.Equal(listeners.Select(l => l.EndPoint.Address.ToString()), results.Select(r => r.TargetAddress));
                // One each would take 12 timeouts (9.6 s); the bound is half of that, room for a busy machine.
                Assert.InRange(watch.Elapsed.TotalSeconds, 0.75, 12 * 0.8 / 2);
            }
            finally
            {
                listeners.ForEach(l => l.Dispose());
            }
        }

        [Fact]
        public async Task FilteredTargetsFourTimesTheDefaultThrottleTakeAboutOneTimeout()
        {
            // Four times more filtered targets than throttle slots (and eight): the waiting connects must not hold
            // their slots, or they would go in five waves of one timeout each.
            var listeners = Enumerable.Range(2, (4 * 32) + 8).Select(i => new FilteredListener(IPAddress.Parse("127.0.0." + i))).ToList();
            try
            {
                const double timeout = 2;
                using PortScanner scanner = Scanner(timeout);
                Assert.Equal(32, scanner.Options.ThrottleLimit);
                Stopwatch watch = Stopwatch.StartNew();
                IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(
                    listeners.Select(l => scanner.ParseTarget(l.EndPoint.ToString())), CancellationToken.None);
                watch.Stop();

                Assert.All(results, r => Assert.Equal(PortStates.Filtered, r.State));
                Assert.Equal(listeners.Select(l => l.EndPoint.Address.ToString()), results.Select(r => r.TargetAddress));
                // About one timeout (and a grace per wave); holding slots takes five. Three timeouts leave a busy
                // machine two of slack (the speed target itself is the bench's).
                Assert.True(watch.Elapsed.TotalSeconds < 3 * timeout, results.Count + " filtered targets at " + timeout + " s took " + watch.Elapsed);
            }
            finally
            {
                listeners.ForEach(l => l.Dispose());
            }
        }

        [Fact]
        public async Task ThrottleLimitOneStartsConnectsOneGraceApart()
        {
            var listeners = Enumerable.Range(2, 6).Select(i => new FilteredListener(IPAddress.Parse("127.0.0." + i))).ToList();
            try
            {
                const double timeout = 2;
                using PortScanner scanner = Scanner(timeout, throttle: 1);
                Stopwatch watch = Stopwatch.StartNew();
                IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(listeners.Select(l => scanner.ParseTarget(l.EndPoint.ToString())), CancellationToken.None);
                watch.Stop();

                Assert.All(results, r => Assert.Equal(PortStates.Filtered, r.State));
                double staggered = timeout + ((listeners.Count - 1) * PortScanner.AnswerGrace.TotalSeconds);
                Assert.True(watch.Elapsed.TotalSeconds >= staggered - 0.05, "each connect after the first starts a grace after the one before, took " + watch.Elapsed);
                Assert.True(watch.Elapsed.TotalSeconds < 3 * timeout, "a waiting connect gives its slot up after the grace (holding it takes six timeouts), took " + watch.Elapsed);
            }
            finally
            {
                listeners.ForEach(l => l.Dispose());
            }
        }

        [Fact]
        public async Task OpenPortsAtThrottleLimitOneAreTestedOneAfterAnotherWithoutWaiting()
        {
            using var open = new TcpListener(Loopback, 0);
            open.Start();
            string target = "127.0.0.1:" + ((IPEndPoint)open.LocalEndpoint).Port;
            using PortScanner scanner = Scanner(2, throttle: 1);

            const int targets = 80;
            Stopwatch watch = Stopwatch.StartNew();
            IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(Enumerable.Repeat(target, targets).Select(scanner.ParseTarget), CancellationToken.None);

            Assert.All(results, r => Assert.Equal(PortStates.Open, r.State));
            double holding = (targets - 1) * PortScanner.AnswerGrace.TotalSeconds;
            Assert.True(watch.Elapsed.TotalSeconds < holding / 2, "an answered connect frees its slot at once (holding it for the grace takes " + holding + " s), took " + watch.Elapsed);
        }

        [Fact]
        public async Task TheSocketCeilingBoundsConnectsThatWaitOutTheirTimeout()
        {
            // ThrottleLimit 1 allows 8 open sockets; with a 1 ms grace, 16 filtered targets go in two waves of 8 (one wave without the ceiling).
            var listeners = Enumerable.Range(2, 16).Select(i => new FilteredListener(IPAddress.Parse("127.0.1." + i))).ToList();
            try
            {
                var options = new PortScanOptions { TimeoutSec = 0.6, ThrottleLimit = 1 };
                using var scanner = new PortScanner(options, Resolvers.Of(), "TESTHOST", TimeSpan.FromMilliseconds(1));
                Stopwatch watch = Stopwatch.StartNew();
                IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(listeners.Select(l => scanner.ParseTarget(l.EndPoint.ToString())), CancellationToken.None);
                watch.Stop();

                Assert.Equal(8, PortScanner.PendingSocketsPerSlot);
                Assert.All(results, r => Assert.Equal(PortStates.Filtered, r.State));
                // Two waves at least (the ceiling); far from sixteen one after another.
                Assert.InRange(watch.Elapsed.TotalSeconds, 1.15, 16 * 0.6 / 2);
            }
            finally
            {
                listeners.ForEach(l => l.Dispose());
            }
        }

        [Fact]
        public async Task DisposingTheScannerCancelsWhatIsInFlight()
        {
            using var filtered = new FilteredListener(IPAddress.Parse("127.0.0.6"));
            var scanner = Scanner(60);
            Task<IReadOnlyList<PortTestResult>> pending = scanner.TestAsync(scanner.ParseTarget(filtered.EndPoint.ToString()), CancellationToken.None);
            await Task.Delay(200);
            Stopwatch watch = Stopwatch.StartNew();

            scanner.Dispose();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
            Assert.True(watch.Elapsed.TotalSeconds < LoadMarginSec, "took " + watch.Elapsed + " of a 60 s timeout");
        }

        [Fact]
        public async Task CancellationEndsTheCallWithinASecond()
        {
            using var filtered = new FilteredListener(IPAddress.Parse("127.0.0.3"));
            using PortScanner scanner = Scanner(60);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            Stopwatch watch = Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                scanner.TestAllAsync(new[] { scanner.ParseTarget(filtered.EndPoint.ToString()) }, cancel.Token));

            Assert.True(watch.Elapsed.TotalSeconds < LoadMarginSec, "took " + watch.Elapsed + " of a 60 s timeout");
        }

        [Fact]
        public async Task EveryAddressOfANameIsTestedAndTheFamilyFilterApplies()
        {
            using var v4 = new TcpListener(IPAddress.Loopback, 0);
            v4.Start();
            int port = ((IPEndPoint)v4.LocalEndpoint).Port;
            using var v6 = new TcpListener(IPAddress.IPv6Loopback, port);
            v6.Start();

            using PortScanner any = Scanner(2);
            IReadOnlyList<PortTestResult> both = await any.TestAsync(any.ParseTarget("psn-dual.test:" + port), CancellationToken.None);
            Assert.Equal(new[] { "127.0.0.1", "::1" }, both.Select(r => r.TargetAddress));
            Assert.Equal(new[] { "IPv4", "IPv6" }, both.Select(r => r.AddressFamily));
            Assert.All(both, r => Assert.Equal(PortStates.Open, r.State));

            using PortScanner onlyV6 = Scanner(2, family: AddressFamilyFilter.IPv6);
            PortTestResult six = Assert.Single(await onlyV6.TestAsync(onlyV6.ParseTarget("psn-dual.test:" + port), CancellationToken.None));
            Assert.Equal("::1", six.TargetAddress);

            PortTestResult excluded = Assert.Single(await onlyV6.TestAsync(onlyV6.ParseTarget("psn-v4.test:" + port), CancellationToken.None));
            Assert.Equal(PortStates.Excluded, excluded.State);
            Assert.Contains("-AddressFamily IPv6 excludes", excluded.Message);

            PortTestResult literal = Assert.Single(await any.TestAsync(any.ParseTarget("[::1]:" + port), CancellationToken.None));
            Assert.Equal(PortStates.Open, literal.State);
            Assert.Equal("::1", literal.TargetName);
        }

        [Fact]
        public async Task IPv6FilteredAndClosedAreReported()
        {
            using var filtered = new FilteredListener(IPAddress.IPv6Loopback);
            int closed = ClosedPort.Find(IPAddress.IPv6Loopback);
            using PortScanner scanner = Scanner(0.5);

            IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(
                new[] { scanner.ParseTarget("[::1]:" + filtered.Port), scanner.ParseTarget("[::1]:" + closed) }, CancellationToken.None);

            Assert.Equal(new[] { PortStates.Filtered, PortStates.Closed }, results.Select(r => r.State));
        }

        [Fact]
        public async Task AnOpenPortWhileCompliantFailsWithTheAlarmExplained()
        {
            using var open = new TcpListener(Loopback, 0);
            open.Start();
            using var filtered = new FilteredListener(IPAddress.Parse("127.0.0.4"));
            using PortScanner scanner = Scanner(0.5, PostureStatus.Compliant);

            IReadOnlyList<PortTestResult> results = await scanner.TestAllAsync(
                new[] { scanner.ParseTarget("127.0.0.1:" + ((IPEndPoint)open.LocalEndpoint).Port), scanner.ParseTarget(filtered.EndPoint.ToString()) }, CancellationToken.None);

            Assert.All(results, r => Assert.Equal(ExpectedStates.Blocked, r.ExpectedState));
            Assert.All(results, r => Assert.Equal("Compliant", r.PostureStatus));
            Assert.Equal(new[] { Verdicts.Fail, Verdicts.Pass }, results.Select(r => r.Verdict));
            Assert.Contains("the dACL lacks the deny for this PSN", results[0].Message);
            Assert.Contains("Posture Configuration Detection", results[0].Message);
            Assert.Contains("until Secure Client is restarted", results[0].Message);
        }

        [Theory]
        [InlineData(PostureStatus.Unknown, PortStates.Open, "Reachable", "Pass")]
        [InlineData(PostureStatus.Pending, PortStates.Filtered, "Reachable", "Fail")]
        [InlineData(PostureStatus.Unknown, PortStates.Closed, "Reachable", "Fail")]
        [InlineData(PostureStatus.NonCompliant, PortStates.Open, "Blocked", "Fail")]
        [InlineData(PostureStatus.NonCompliant, PortStates.Filtered, "Blocked", "Pass")]
        [InlineData(PostureStatus.Compliant, PortStates.Unreachable, "Blocked", "Pass")]
        [InlineData(PostureStatus.Compliant, PortStates.Closed, "Blocked", "Pass")]
        [InlineData(PostureStatus.Compliant, PortStates.Unresolved, "Blocked", "Fail")]
        [InlineData(PostureStatus.Pending, PortStates.Error, "Reachable", "Fail")]
        public void TheVerdictFollowsTheStateSyncRule(PostureStatus posture, string state, string expected, string verdict)
        {
            var result = new PortTestResult { TargetName = "psn1", TargetAddress = "127.0.0.1", Port = 8449, State = state, LatencyMs = 1 };

            PostureJudgement.Judge(result, posture, 2, null);

            Assert.Equal(expected, result.ExpectedState);
            Assert.Equal(verdict, result.Verdict);
            Assert.Contains(posture.ToString(), result.Message);
        }

        [Theory]
        [InlineData(PostureStatus.Compliant, PortStates.Closed, "the reset came from something else")]
        [InlineData(PostureStatus.NonCompliant, PortStates.Unreachable, "a router ACL or a missing route")]
        [InlineData(PostureStatus.Compliant, PortStates.Filtered, "Blocked as it must be")]
        [InlineData(PostureStatus.Pending, PortStates.Unresolved, "if it does not resolve there either, the agent cannot probe this PSN [inferred]")]
        [InlineData(PostureStatus.Compliant, PortStates.Unresolved, "(port blocked) could not be checked for this target.")]
        [InlineData(PostureStatus.Unknown, PortStates.Error, "could not be checked for this target: see SocketError")]
        public void EachStateAndPostureIsExplainedInWords(PostureStatus posture, string state, string words)
        {
            var result = new PortTestResult { TargetName = "psn1", TargetAddress = state == PortStates.Unresolved ? null : "127.0.0.1", Port = 8449, State = state, LatencyMs = 1 };

            PostureJudgement.Judge(result, posture, 2, null);

            Assert.Contains(words, result.Message);
            Assert.DoesNotContain("  ", result.Message);
            Assert.EndsWith(".", result.Message);
        }

        [Fact]
        public async Task ALiteralAddressOfTheExcludedFamilyIsSaidToBeOne()
        {
            using PortScanner onlyV6 = Scanner(1, family: AddressFamilyFilter.IPv6);

            PortTestResult result = Assert.Single(await onlyV6.TestAsync(onlyV6.ParseTarget("127.0.0.1"), CancellationToken.None));

            Assert.Equal(PortStates.Excluded, result.State);
            Assert.Equal("'127.0.0.1' is an IPv4 address, which -AddressFamily IPv6 excludes; nothing was tested.", result.Message);
        }

        [Theory]
        [InlineData(PostureStatus.Compliant, "blocked")]
        [InlineData(PostureStatus.Pending, "reachable")]
        public async Task AnExcludedIPv6LiteralIsNeitherPassNorFailAndSaysTheRuleIsNotChecked(PostureStatus posture, string expected)
        {
            using PortScanner onlyV4 = Scanner(1, posture, family: AddressFamilyFilter.IPv4);

            PortTestResult result = Assert.Single(await onlyV4.TestAsync(onlyV4.ParseTarget("[::1]:8449"), CancellationToken.None));

            Assert.Equal(PortStates.Excluded, result.State);
            Assert.Null(result.TargetAddress);
            Assert.Equal(Verdicts.Info, result.Verdict);
            Assert.StartsWith("'::1' is an IPv6 address, which -AddressFamily IPv4 excludes; nothing was tested.", result.Message);
            Assert.Contains("The rule for posture " + posture + " (port " + expected + ") is not checked for this target", result.Message);
            Assert.DoesNotContain("resolve", result.Message);
        }

        [Fact]
        public async Task ANameThatDoesNotResolveIsStillUnresolvedUnderAFamilyFilter()
        {
            using PortScanner onlyV4 = Scanner(1, family: AddressFamilyFilter.IPv4);

            PortTestResult result = Assert.Single(await onlyV4.TestAsync(onlyV4.ParseTarget("nowhere.test"), CancellationToken.None));

            Assert.Equal(PortStates.Unresolved, result.State);
        }

        [Theory]
        [InlineData(SocketError.ConnectionRefused, PortStates.Closed)]
        [InlineData(SocketError.ConnectionReset, PortStates.Closed)]
        [InlineData(SocketError.TimedOut, PortStates.Filtered)]
        [InlineData(SocketError.HostUnreachable, PortStates.Unreachable)]
        [InlineData(SocketError.NetworkUnreachable, PortStates.Unreachable)]
        [InlineData(SocketError.AccessDenied, PortStates.Error)]
        [InlineData(SocketError.AddressNotAvailable, PortStates.Error)]
        public void SocketErrorsMapToStates(SocketError error, string state)
        {
            Assert.Equal(state, TcpConnector.Classify(error));
        }

        [Theory]
        [InlineData("psn1:99999")]
        [InlineData("psn1:0")]
        [InlineData("[::1")]
        [InlineData("not a host")]
        [InlineData("")]
        public void BadTargetsAreRefusedWithAStableErrorId(string text)
        {
            using PortScanner scanner = Scanner(1);
            PostureSyncException ex = Assert.Throws<PostureSyncException>(() => scanner.ParseTarget(text));
            Assert.Equal("InvalidTargetName", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        }

        [Fact]
        public void ATargetsOwnPortWinsOverTheDefault()
        {
            using PortScanner scanner = Scanner(1);
            Assert.Equal(8449, scanner.ParseTarget("psn1").Port);
            Assert.Equal(8000, scanner.ParseTarget("psn1:8000").Port);
            Assert.Equal(8905, scanner.ParseTarget("[2001:db8::1]:8905").Port);
        }

        [Theory]
        [InlineData(0, 32, 8449, "InvalidTimeout")]
        [InlineData(-1, 32, 8449, "InvalidTimeout")]
        [InlineData(1, 0, 8449, "InvalidThrottleLimit")]
        [InlineData(1, 1025, 8449, "InvalidThrottleLimit")]
        [InlineData(1, 32, 70000, "InvalidPort")]
        public void BadOptionsAreRefused(double timeout, int throttle, int port, string errorId)
        {
            PostureSyncException ex = Assert.Throws<PostureSyncException>(() =>
                new PortScanner(new PortScanOptions { TimeoutSec = timeout, ThrottleLimit = throttle, Port = port }, Resolvers.Of()));
            Assert.Equal(errorId, ex.ErrorId);
        }
    }
}
