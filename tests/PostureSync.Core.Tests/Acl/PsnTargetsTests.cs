using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using PostureSync.Core.Acl;
using PostureSync.Core.Net;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    public sealed class PsnTargetsTests
    {
        private static readonly HostsFileResolver Resolver = new HostsFileResolver(new[]
        {
            new KeyValuePair<string, IPAddress>("psn1.example.test", IPAddress.Parse("192.0.2.11")),
            new KeyValuePair<string, IPAddress>("psn1.example.test", IPAddress.Parse("2001:db8::11")),
            new KeyValuePair<string, IPAddress>("psn2.example.test", IPAddress.Parse("::ffff:192.0.2.12")),
            new KeyValuePair<string, IPAddress>("psn2.example.test", IPAddress.Parse("192.0.2.12")),
        });

        private static (List<PsnTarget> Targets, List<PostureSyncException> Failures) Resolve(params string[] entries)
        {
            var failures = new List<PostureSyncException>();
            List<PsnTarget> targets = PsnTargets.Resolve(entries, Resolver, System.TimeSpan.FromSeconds(1), CancellationToken.None, failures.Add);
            return (targets, failures);
        }

        [Fact]
        public void EveryAddressOfANameIsATargetAndPortsAreDropped()
        {
            var (targets, failures) = Resolve("psn1.example.test:8449", "[2001:db8::5]:8449", "10.1.1.1");

            Assert.Empty(failures);
            Assert.Equal(new[] { "192.0.2.11", "2001:db8::11", "2001:db8::5", "10.1.1.1" }, targets.Select(t => t.Address.ToString()));
            Assert.Equal("psn1.example.test (192.0.2.11)", targets[0].DisplayName);
            Assert.Equal("10.1.1.1", targets[3].DisplayName);
        }

        [Fact]
        public void MappedAddressesCountOnceAsIpv4()
        {
            var (targets, _) = Resolve("psn2.example.test");

            PsnTarget only = Assert.Single(targets);
            Assert.Equal("192.0.2.12", only.Address.ToString());
        }

        [Fact]
        public void BadAndUnresolvedEntriesAreReportedAndLeftOut()
        {
            var (targets, failures) = Resolve("not a host!", "psn9.example.test", "psn1.example.test");

            Assert.Equal(2, targets.Count);
            Assert.Equal(new[] { "PsnAddressInvalid", "PsnNameUnresolved" }, failures.Select(f => f.ErrorId));
            Assert.Equal("psn9.example.test", failures[1].Target);
        }
    }
}
