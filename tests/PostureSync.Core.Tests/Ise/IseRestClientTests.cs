using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Ise;
using PostureSync.IseDouble;
using Xunit;
using static PostureSync.Core.Tests.Ise.IseTestSupport;

namespace PostureSync.Core.Tests.Ise
{
    /// <summary>The REST client against the loopback HTTPS double: TLS, auth, paging, bounds, retries, timeouts.</summary>
    public sealed class IseRestClientTests
    {
        private static async Task<PostureSyncException> Fails(Func<Task> action) => await Assert.ThrowsAsync<PostureSyncException>(action);

        [Fact]
        public async Task An_untrusted_certificate_is_refused_and_the_error_names_its_thumbprint()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server, skip: false);
            PostureSyncException error = await Fails(() => Reader(client).GetErsListAsync("downloadableacl"));
            Assert.Equal(ErrorIds.IseCertificateInvalid, error.ErrorId);
            Assert.Contains(server.Thumbprint, error.Message);
            Assert.Empty(server.Requests);
        }

        [Fact]
        public async Task A_pinned_thumbprint_is_accepted_and_a_wrong_one_refused()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient pinned = Client(server, skip: false, thumbprint: server.Thumbprint.ToLowerInvariant());
            Assert.NotEmpty(await Reader(pinned).GetErsListAsync("downloadableacl"));

            using IseRestClient wrong = Client(server, skip: false, thumbprint: new string('A', 40));
            PostureSyncException error = await Fails(() => Reader(wrong).GetErsListAsync("downloadableacl"));
            Assert.Equal(ErrorIds.IseCertificateInvalid, error.ErrorId);
            Assert.Contains(server.Thumbprint, error.Message);
        }

        [Fact]
        public async Task A_wrong_password_is_authentication_failed_and_the_password_appears_nowhere()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            const string Wrong = "Wr0ng-Pa55word-xyz";
            using IseRestClient client = Client(server, password: Wrong);
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            PostureSyncException error = await Fails(() => new IseReader(client, log.Enqueue, default).GetErsListAsync("downloadableacl"));
            Assert.Equal(ErrorIds.IseAuthenticationFailed, error.ErrorId);
            Assert.DoesNotContain(Wrong, error.Message + error.RecommendedAction + string.Join("\n", log));
            Assert.NotEmpty(log);
        }

        [Theory]
        [InlineData(IseDoubleServer.DeniedUser, ErrorIds.IseAccessDenied)]
        public async Task A_user_without_the_ers_group_is_access_denied(string user, string errorId)
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server, user: user);
            Assert.Equal(errorId, (await Fails(() => Reader(client).GetErsListAsync("downloadableacl"))).ErrorId);
        }

        [Fact]
        public async Task Ers_disabled_behind_the_gateway_is_api_disabled_not_a_parse_error()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.ErsDisabled = true;
            using IseRestClient client = Client(server);
            Assert.Equal(ErrorIds.IseApiDisabled, (await Fails(() => Reader(client).GetErsListAsync("downloadableacl"))).ErrorId);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(404)]
        [InlineData(500)]
        public async Task Paging_reads_every_page_with_json_and_only_gets_whatever_past_the_end_answers(int pastEnd)
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.PastEndStatus = pastEnd;
            server.OmitNextPage = pastEnd == 500;
            using IseRestClient client = Client(server);
            var all = await Reader(client).GetErsListAsync("downloadableacl");
            Assert.Equal(server.Deployment.Dacls.Count, all.Count);
            Assert.Equal(server.Deployment.Dacls.Select(d => d.Name), all.Select(a => a.String("name")));
            Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));
            Assert.All(server.Requests, r => Assert.Contains("application/json", r.Accept));
            Assert.Equal(2, server.RequestCount);
        }

        [Fact]
        public async Task Paging_stops_at_its_bound()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server);
            IseReader reader = Reader(client);
            reader.MaxPages = 1;
            Assert.Equal(ErrorIds.IseResponseInvalid, (await Fails(() => reader.GetErsListAsync("downloadableacl"))).ErrorId);
        }

        [Fact]
        public async Task A_truncated_body_is_response_invalid()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.TruncateBodies = true;
            using IseRestClient client = Client(server);
            Assert.Equal(ErrorIds.IseResponseInvalid, (await Fails(() => Reader(client).GetErsListAsync("downloadableacl"))).ErrorId);
        }

        [Fact]
        public async Task A_huge_body_is_cut_at_the_bound_and_is_response_invalid()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.HugeBodyBytes = 8L * 1024 * 1024;
            using IseRestClient client = Client(server, maxBody: 1024 * 1024);
            PostureSyncException error = await Fails(() => Reader(client).GetErsListAsync("downloadableacl"));
            Assert.Equal(ErrorIds.IseResponseInvalid, error.ErrorId);
            Assert.Contains("limit", error.Message);
        }

        [Fact]
        public async Task A_slow_server_times_out_at_the_configured_timeout()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.Delay = TimeSpan.FromMinutes(5);
            using IseRestClient client = Client(server, timeout: TimeSpan.FromSeconds(1));
            PostureSyncException error = await Fails(() => Reader(client).GetErsListAsync("downloadableacl"));
            Assert.Equal(ErrorIds.IseTimeout, error.ErrorId);
        }

        [Fact]
        public async Task Cancellation_ends_a_hanging_request_long_before_its_timeout()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.Delay = TimeSpan.FromMinutes(5);
            using IseRestClient client = Client(server, timeout: TimeSpan.FromMinutes(2));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Reader(client, cancel.Token).GetErsListAsync("downloadableacl"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "cancellation, not the 2-minute timeout, ended the request");
        }

        [Fact]
        public async Task Throttled_requests_are_retried_a_bounded_number_of_times()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.Throttle(2);
            using IseRestClient client = Client(server);
            Assert.Equal(server.Deployment.Dacls.Count, (await Reader(client).GetErsListAsync("downloadableacl")).Count);

            server.Throttle(100);
            PostureSyncException error = await Fails(() => Reader(client).GetErsListAsync("downloadableacl"));
            Assert.Equal(ErrorIds.IseRequestFailed, error.ErrorId);
            Assert.Equal(2 + 2 + 1 + client.Options.MaxRetries, server.RequestCount);
        }

        [Fact]
        public async Task Nothing_listening_is_unreachable()
        {
            int port;
            using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            using var client = new IseRestClient(new IseClientOptions("127.0.0.1", port, new NetworkCredential("u", "p")) { Timeout = TimeSpan.FromSeconds(10) });
            Assert.Equal(ErrorIds.IseUnreachable, (await Fails(() => Reader(client).GetErsListAsync("downloadableacl"))).ErrorId);
        }

        [Fact]
        public async Task Concurrency_stays_within_the_throttle_limit()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.Latency = TimeSpan.FromMilliseconds(50);
            using IseRestClient client = Client(server);
            var ids = server.Deployment.Dacls.Take(24).Select(d => d.Id).ToList();
            var dacls = await IseInventory.GetDaclDetailsAsync(Reader(client, throttle: 3), ids);
            Assert.Equal(24, dacls.Count);
            Assert.InRange(server.MaxInFlight, 1, 3);
        }
    }
}
