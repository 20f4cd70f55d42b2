using System;
using System.Collections.Generic;
using System.Linq;
using PostureSync.Core.Acl;
using Xunit;
using static PostureSync.Core.Tests.Acl.AclTestHelpers;

namespace PostureSync.Core.Tests.Acl
{
    public class AclLinterTests
    {
        private static string Single(IReadOnlyList<string> findings, string id) =>
            Assert.Single(findings, f => f.StartsWith(id + " ", StringComparison.Ordinal));

        [Fact]
        public void BatfishUnionShadowsTheWiderLine()
        {
            AclList list = Dacl("permit ip any 1.2.3.0 0.0.0.127", "deny ip any 1.2.3.128 0.0.0.127", "permit ip any 1.2.3.0 0.0.0.255");

            string finding = Single(Lint(list), "ACL001");

            Assert.StartsWith("ACL001 Warning: line 3 'permit ip any 1.2.3.0 0.0.0.255' is shadowed by lines 1, 2", finding);
            Assert.Contains("line 2 has the other action (deny)", finding);
        }

        [Fact]
        public void BatfishUnionInPrefixForm()
        {
            AclList list = Dacl("permit ip any 1.2.3.0/25", "deny ip any 1.2.3.128/25", "permit ip any 1.2.3.0/24");
            Assert.Contains("line 3 ", Single(Lint(list), "ACL001"));
        }

        [Fact]
        public void PartialOverlapIsNotShadowing()
        {
            AclList list = Dacl("permit ip any 1.2.3.0 0.0.0.127", "permit ip any 1.2.3.0 0.0.0.255");
            Assert.DoesNotContain(Lint(list), f => f.StartsWith("ACL001", StringComparison.Ordinal));
        }

        [Fact]
        public void SameActionShadowIsInfo()
        {
            AclList list = Dacl("deny tcp any any", "deny tcp any host 10.1.1.1 eq 8449");
            Assert.StartsWith("ACL001 Information: line 2 ", Single(Lint(list), "ACL001"));
        }

        [Fact]
        public void NonContiguousWildcardsUnionShadows()
        {
            // 0.0.0.2 and 0.0.0.1 wildcards over .0 and .1/.2 cover .0-.3; the /30 after them is shadowed.
            AclList list = Dacl("deny ip any 10.0.0.0 0.0.0.2", "deny ip any 10.0.0.1 0.0.0.2", "deny ip any 10.0.0.0 0.0.0.3");
            Assert.Contains("lines 1, 2", Single(Lint(list), "ACL001"));
        }

        [Fact]
        public void MultiPortLinesShadowAcrossCubes()
        {
            AclList list = Dacl("permit tcp any any eq 80", "permit tcp any any eq 443", "permit tcp any any eq www 443");
            Assert.Contains("line 3 ", Single(Lint(list), "ACL001"));
        }

        [Fact]
        public void PartialLinesNeverShadowButCanBeShadowed()
        {
            AclList list = Dacl("permit tcp any any dscp ef", "permit tcp any any", "permit tcp any host 10.9.9.9 eq 22 dscp ef");

            string finding = Single(Lint(list), "ACL001");

            Assert.StartsWith("ACL001 Information: line 3 ", finding);
            Assert.Contains("shadowed by line 2 ", finding);
        }

        [Fact]
        public void EstablishedLinesAreExactBlockers()
        {
            AclList list = Dacl("permit tcp any any established", "deny tcp any host 10.1.1.1 eq 22 established", "deny tcp any host 10.1.1.1 eq 22");

            string finding = Single(Lint(list), "ACL001");

            Assert.StartsWith("ACL001 Warning: line 2 ", finding);
            Assert.Contains("shadowed by line 1,", finding);
        }

        [Fact]
        public void UnmatchableLine()
        {
            AclList list = Dacl("deny tcp any any gt 65535", "permit ip any any");
            Assert.StartsWith("ACL002 Warning: line 1 ", Single(Lint(list), "ACL002"));
        }

        [Fact]
        public void SyncPortDenyBelowAPermit()
        {
            AclList list = Dacl("permit udp any any eq domain", "deny tcp any host 10.1.1.1 eq 8449", "permit ip any any");
            Assert.StartsWith("ACL003 Warning: line 2 denies the sync port 8449 but comes after permit line 1", Single(Lint(list, "10.1.1.1"), "ACL003"));
        }

        [Fact]
        public void PsnWithoutExplicitDeny()
        {
            AclList list = Dacl("deny tcp any host 10.1.1.1 eq 8449", "permit ip any any");

            string finding = Single(Lint(list, "10.1.1.1", "10.1.1.2"), "ACL004");

            Assert.Contains("PSN 10.1.1.2 port 8449", finding);
            Assert.Contains("'deny tcp any host 10.1.1.2 eq 8449'", finding);
        }

        [Fact]
        public void DenyForAnAddressThatIsNotAPsn()
        {
            AclList list = Dacl("deny tcp any host 10.1.1.1 eq 8449", "deny tcp any host 10.9.9.9 eq 8449", "permit ip any any");
            Assert.StartsWith("ACL005 Information: line 2 ", Single(Lint(list, "10.1.1.1"), "ACL005"));
        }

        [Fact]
        public void NoPsnsNoPsnFindings()
        {
            AclList list = Dacl("deny tcp any host 10.9.9.9 eq 8449", "permit ip any any");
            Assert.Empty(Lint(list));
        }

        [Fact]
        public void SourceOtherThanAny()
        {
            AclList list = Dacl("deny tcp 192.168.0.0 0.0.255.255 host 10.1.1.1 eq 8449", "permit ip any any");
            Assert.Contains("'192.168.0.0 0.0.255.255'", Single(Lint(list, "10.1.1.1"), "ACL006"));
        }

        [Fact]
        public void ParseNotesBecomeFindings()
        {
            AclDocument document = Parse(AclInputFormat.Dacl,
                "deny tcp any 10.1.1.0 255.255.255.0 eq 8449",
                "deny tcp any object-group PSNS eq 8449",
                "permit tcp any any eq 80 time-range WORK",
                "permit tcp any any eq https",
                "deny tcp any 10.1.1.0/24 eq 8449",
                "permit tcp any range 9000 8000 any",
                "permit tcp any any syn fin",
                "permit ip any any");

            IReadOnlyList<string> findings = AclLinter.Lint(document.Lists[0], Array.Empty<PsnTarget>(), 8449);

            Assert.StartsWith("ACL007 Warning: line 1 ", Single(findings, "ACL007"));
            Assert.StartsWith("ACL008 Warning: line 2 uses object-group PSNS", Single(findings, "ACL008"));
            Assert.StartsWith("ACL009 Warning: line 3 ", Single(findings, "ACL009"));
            Assert.Contains("write 443", Single(findings, "ACL010"));
            Assert.StartsWith("ACL011 Warning: line 5 ", Single(findings, "ACL011"));
            Assert.StartsWith("ACL012 Warning: line 6 ", Single(findings, "ACL012"));
            Assert.StartsWith("ACL013 Warning: line 7 ", Single(findings, "ACL013"));
        }

        [Fact]
        public void FindingsAreOrderedByLine()
        {
            AclList list = Dacl("permit tcp any any", "deny tcp any host 10.1.1.1 eq 8449", "deny tcp any 10.1.1.0 255.255.255.0 eq 8449");

            IReadOnlyList<string> findings = Lint(list, "10.1.1.1");

            List<int> lines = findings.Select(f => f.Contains("line 2 ") ? 2 : f.Contains("line 3 ") ? 3 : 99).ToList();
            Assert.Equal(lines.OrderBy(n => n), lines);
        }

        [Fact]
        public void TinyBudgetStopsTheShadowCheckAndSaysSo()
        {
            AclList list = Dacl(Enumerable.Range(0, 200).Select(i => "deny tcp any host 10.0." + (i / 256) + "." + (i % 256) + " eq 80").Concat(new[] { "deny tcp any host 10.0.0.5 eq 80" }).ToArray());

            IReadOnlyList<string> findings = AclLinter.Lint(list, Array.Empty<PsnTarget>(), 8449, new WorkBudget(10, TimeSpan.FromMinutes(1)));

            Assert.Contains(findings, f => f.StartsWith("ACL014 Information: ", StringComparison.Ordinal));
        }

        [Fact]
        public void DuplicateFarDownIsFound()
        {
            string[] lines = Enumerable.Range(0, 5000).Select(i => "permit tcp any host 10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + " eq 443")
                .Concat(new[] { "permit tcp any host 10.0.3.7 eq 443" }).ToArray();

            string finding = Single(Lint(Dacl(lines)), "ACL001");

            Assert.StartsWith("ACL001 Information: line 5001 ", finding);
            Assert.Contains("shadowed by line 776 ", finding);
        }
    

        [Fact]
        public void DenyForSomeSourcesToAnyDestinationIsNotAnExplicitDenyForThePsn()
        {
            AclList list = Dacl("deny ip 172.16.0.0 0.0.255.255 any", "permit ip any any");

            Assert.Contains("10.1.1.1", Single(Lint(list, "10.1.1.1"), "ACL004"));
        }

        [Fact]
        public void DenyOfEverythingIsAnExplicitDenyForThePsn()
        {
            AclList list = Dacl("deny ip any any");

            Assert.DoesNotContain(Lint(list, "10.1.1.1"), f => f.StartsWith("ACL004", StringComparison.Ordinal));
        }
    }
}
