using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PostureSync.Core.Ise;
using PostureSync.IseDouble;
using Xunit;
using static PostureSync.Core.Tests.Ise.IseTestSupport;

namespace PostureSync.Core.Tests.Ise
{
    /// <summary>PSNs, dACLs, the policy walk and MnT sessions, read from the double's standard deployment.</summary>
    public sealed class IseAuditTests
    {
        private static async Task<List<IseDaclAudit>> Audit(IseDoubleServer server, IseAuditRequest? request = null)
        {
            using IseRestClient client = Client(server);
            return await new IseComplianceAudit(Reader(client), request ?? new IseAuditRequest()).RunAsync();
        }

        [Fact]
        public async Task Psns_are_the_session_nodes_with_every_interface()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server);
            List<IsePsn> psns = await IseInventory.GetPsnsAsync(Reader(client));
            Assert.Equal(new[] { "ise-psn1", "ise-psn2", "ise-psn3" }, psns.Select(p => p.Name));
            Assert.Equal(new[] { "127.0.0.11", "127.0.0.21", "::1" }, psns[0].IPAddress);
            Assert.Equal("OpenApi", psns[0].Source);
            Assert.DoesNotContain(server.Requests, r => r.Method != "GET");
        }

        [Fact]
        public async Task Psns_fall_back_to_ers_on_ise_31_ga()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            server.Ise31Ga = true;
            using IseRestClient client = Client(server);
            List<IsePsn> psns = await IseInventory.GetPsnsAsync(Reader(client));
            Assert.Equal(new[] { "ise-psn1", "ise-psn2", "ise-psn3" }, psns.Select(p => p.Name));
            Assert.All(psns, p => Assert.Equal("Ers", p.Source));
            Assert.Contains("127.0.0.21", psns[0].IPAddress);
        }

        [Fact]
        public async Task Dacl_text_is_one_trimmed_ace_per_line_whatever_the_wire_newlines()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server);
            IseDacl crlf = Assert.Single(await IseInventory.GetDaclsAsync(Reader(client), new[] { "compliant_crlf" }));
            Assert.Equal(new[]
            {
                "deny tcp any host 127.0.0.11 eq 8449", "deny tcp any host 127.0.0.21 eq 8449", "deny tcp any host 127.0.0.12 eq 8449",
                "deny tcp any host 127.0.0.13 eq 8449", "permit ip any any",
            }, crlf.Text.Split('\n'));
            Assert.Equal(7, (await IseInventory.GetDaclsAsync(Reader(client), new[] { "COMPLIANT*", "POSTURE*", "PERMIT_ALL*" })).Count);
        }

        [Fact]
        public async Task The_policy_walk_judges_every_compliant_rule_for_every_psn_address()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            List<IseDaclAudit> rows = await Audit(server);
            ILookup<string?, IseDaclAudit> byRule = rows.ToLookup(r => r.Rule);

            // Good dACL + IPv6 dACL: every address passes, the IPv6 one judged by the IPv6 dACL.
            List<IseDaclAudit> good = byRule["Compliant_Employees"].ToList();
            Assert.Equal(new[] { "127.0.0.11", "127.0.0.21", "127.0.0.12", "127.0.0.13", "::1" }, good.Select(r => r.PsnAddress));
            Assert.All(good, r => Assert.Equal("Pass", r.Verdict));
            Assert.Equal("POSTURE_COMPLIANT_DACL_V6", good.Single(r => r.PsnAddress == "::1").Dacl);

            // The linter sees every PSN address the dACL must cover: no deny of another PSN is called stale.
            Assert.DoesNotContain(rows.SelectMany(r => r.Findings), f => f.StartsWith("ACL005", System.StringComparison.Ordinal));

            // Library condition -> dACL missing the second interface and psn3: Fail with the ACE to add, by address.
            List<IseDaclAudit> missing = byRule["Compliant_Library"].Where(r => r.Verdict == "Fail").ToList();
            Assert.Equal(new[] { "127.0.0.21", "127.0.0.13" }, missing.Select(r => r.PsnAddress));
            Assert.Contains(missing[0].Findings, f => f.Contains("deny tcp any host 127.0.0.21 eq 8449"));
            Assert.DoesNotContain(missing.SelectMany(r => r.Findings), f => f.Contains("deny tcp any host ise-psn"));
            Assert.Equal("Warn", byRule["Compliant_Library"].Single(r => r.PsnAddress == "::1").Verdict);

            // Nested OR with notEquals NonCompliant, profile inside rule, naming a dACL that does not exist.
            IseDaclAudit ghost = Assert.Single(byRule["Nested_Not_NonCompliant"], r => r.PsnAddress is null);
            Assert.Equal("Fail", ghost.Verdict);
            Assert.Equal("GHOST_DACL", ghost.Dacl);
            Assert.Contains("does not exist", ghost.Reason);

            // Missing library condition and an `in` operator: Unknown with the reason, never skipped, never Pass.
            Assert.Contains("Retired_Compliant_Check", Assert.Single(byRule["Missing_Library"]).Reason);
            Assert.Equal("Unknown", byRule["Missing_Library"].Single().Verdict);
            Assert.Equal("Unknown", Assert.Single(byRule["Posture_In_List"]).Verdict);

            // Exception rule first, agnostic dACL covering IPv4 and IPv6.
            Assert.Equal("Exception_Agnostic", rows[0].Rule);
            Assert.All(byRule["Exception_Agnostic"], r => Assert.Equal("Pass", r.Verdict));
            Assert.Equal(5, byRule["Exception_Agnostic"].Count());

            // Monitor-mode set: judged and marked; permit-first dACL fails.
            Assert.All(byRule["Monitor_Compliant"].Where(r => r.PsnAddress != "::1"), r => Assert.Equal("Fail", r.Verdict));
            Assert.All(byRule["Monitor_Compliant"], r => Assert.Contains(r.Findings, f => f.StartsWith("Monitor")));

            // Not for Compliant, disabled, or in a disabled set: absent.
            foreach (string skipped in new[] { "Posture_Unknown_Redirect", "Not_Compliant_Quarantine", "Disabled_Compliant", "Old_Compliant", "Global_NonCompliant_Block", "Default" })
            {
                Assert.Empty(byRule[skipped]);
            }

            Assert.DoesNotContain(server.Requests, r => r.Method != "GET");
        }

        [Fact]
        public async Task Named_dacls_are_judged_without_reading_policy()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server, user: IseDoubleServer.NoPolicyUser);
            List<IseDaclAudit> rows = await new IseComplianceAudit(Reader(client), new IseAuditRequest { DaclNames = new[] { "COMPLIANT_CRLF", "NOPE" } }).RunAsync();
            Assert.All(rows.Where(r => r.Dacl == "COMPLIANT_CRLF" && r.PsnAddress != "::1"), r => Assert.Equal("Pass", r.Verdict));
            Assert.Equal("Fail", rows.Single(r => r.Dacl == "NOPE").Verdict);
            Assert.DoesNotContain(server.Requests, r => r.Target.StartsWith("/api/v1/policy"));

            using IseRestClient other = Client(server, user: IseDoubleServer.NoPolicyUser);
            PostureSyncException denied = await Assert.ThrowsAsync<PostureSyncException>(() => new IseComplianceAudit(Reader(other), new IseAuditRequest()).RunAsync());
            Assert.Equal(ErrorIds.IseAccessDenied, denied.ErrorId);
        }

        [Theory]
        [InlineData("00-14-22-01-23-45")]
        [InlineData("0014.2201.2345")]
        [InlineData("00:14:22:01:23:45")]
        [InlineData("001422012345")]
        public async Task Session_posture_by_mac_in_any_notation(string mac)
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server);
            IseSession session = await MntSessionReader.GetAsync(Reader(client), MntSessionReader.NormalizeMac(mac)!);
            Assert.Equal("Compliant", session.PostureStatus);
            Assert.Equal("00:14:22:01:23:45", session.MacAddress);
            Assert.Equal("POSTURE_COMPLIANT_DACL", session.DaclName);
            Assert.Equal("Compliant_Employees", session.AuthorizationRule);
            Assert.Equal("ise-psn1", session.Psn);
            Assert.Contains(server.Requests, r => r.Target == "/admin/API/mnt/Session/MACAddress/00:14:22:01:23:45" && r.Accept.Contains("xml"));
        }

        [Fact]
        public async Task Session_posture_falls_back_and_a_missing_session_is_session_not_found()
        {
            using IseDoubleServer server = IseDoubleServer.Start();
            using IseRestClient client = Client(server);
            Assert.Equal(("Pending", "nac_policy_compliance"), await Posture("00:0C:29:FA:EF:0A"));
            PostureSyncException error = await Assert.ThrowsAsync<PostureSyncException>(() => MntSessionReader.GetAsync(Reader(client), "00:00:5E:00:53:01"));
            Assert.Equal(ErrorIds.IseSessionNotFound, error.ErrorId);
            server.NotMntNode = true;
            Assert.Equal(ErrorIds.IseApiDisabled, (await Assert.ThrowsAsync<PostureSyncException>(() => MntSessionReader.GetAsync(Reader(client), "00:14:22:01:23:45"))).ErrorId);

            async Task<(string, string)> Posture(string mac)
            {
                IseSession s = await MntSessionReader.GetAsync(Reader(client), mac);
                return (s.PostureStatus, s.PostureSource);
            }
        }

        [Theory]
        [InlineData("00-14-22-01-23")]
        [InlineData("00:14:22:01:23:4G")]
        [InlineData("")]
        public void A_non_mac_is_refused(string text) => Assert.Null(MntSessionReader.NormalizeMac(text));
    }
}
