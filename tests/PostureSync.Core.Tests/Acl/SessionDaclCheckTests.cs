using System.Linq;
using System.Net;
using PostureSync.Core.Acl;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    public sealed class SessionDaclCheckTests
    {
        private const string Show = "Extended IP access list xACSACLx-IP-C-669eaa40 (per-user)\n    1 deny tcp any host 10.1.1.1 eq 8449\n    2 permit ip any any\n"
            + "IPv6 access list xACSACLx-IPV6-C-669eaa28 (per-user)\n    permit tcp any host 2001:DB8::10 eq 8449 sequence 1\n"
            + "Extended IP access list OTHER\n    10 permit ip any any\n";

        private static readonly PsnTarget[] Psns = { new PsnTarget("10.1.1.1", IPAddress.Parse("10.1.1.1")), new PsnTarget("2001:db8::10", IPAddress.Parse("2001:db8::10")) };

        private static SessionDaclReport Check(params SessionDaclRequest[] sessions) =>
            SessionDaclCheck.Check(new[] { AclParser.Parse(Show, AclInputFormat.Auto, "show.txt") }, sessions, Psns, 8449, endpoint: null);

        private static SessionDaclRequest Session(string mac, params string[] acls) => new SessionDaclRequest(acls, "sw1", "Gi1/0/1", mac, "ID-" + mac);

        [Fact]
        public void EachPsnIsJudgedByTheSessionsListOfItsFamily()
        {
            SessionDaclReport report = Check(Session("a", "xACSACLx-IP-C-669eaa40", "xACSACLx-IPV6-C-669eaa28"));

            Assert.Equal(new[] { "xACSACLx-IP-C-669eaa40 10.1.1.1 Pass", "xACSACLx-IPV6-C-669eaa28 2001:db8::10 Fail" },
                report.Results.Select(r => $"{r.AclName} {r.Psn} {r.Verdict}"));
            Assert.All(report.Results, r => Assert.Equal("ID-a", r.SessionId));
        }

        [Fact]
        public void ASessionWithOnlyAnIpv4ListIsToldItDoesNotFilterIpv6()
        {
            SessionDaclReport report = Check(Session("a", "xACSACLx-IP-C-669eaa40"));

            Assert.Equal(new[] { "10.1.1.1 Pass", "2001:db8::10 Warn" }, report.Results.Select(r => $"{r.Psn} {r.Verdict}"));
        }

        [Fact]
        public void EachDistinctListIsCheckedOnceAndItsResultsAreSaidOfEverySessionThatHoldsIt()
        {
            SessionDaclReport report = Check(
                Session("a", "xACSACLx-IP-C-669eaa40"), Session("b", "XACSACLX-IP-C-669EAA40"), Session("c", "xACSACLx-IP-C-669eaa40", "xACSACLx-IP-Gone-5f152814"), Session("d"));

            Assert.Equal("xACSACLx-IP-C-669eaa40", Assert.Single(report.Checks).List.Name);
            Assert.Equal(new[] { "a", "a", "b", "b", "c", "c" }, report.Results.Select(r => r.MacAddress));
            MissingSessionDacl missing = Assert.Single(report.Missing);
            Assert.Equal("xACSACLx-IP-Gone-5f152814", missing.AclName);
            Assert.Equal("sw1", missing.Device);
            Assert.Equal("d", Assert.Single(report.WithoutDacl).MacAddress);
            Assert.DoesNotContain(report.Results, r => r.AclName == "OTHER");
        }
    }
}
