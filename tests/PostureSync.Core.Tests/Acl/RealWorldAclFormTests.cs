using System;
using System.Linq;
using System.Net;
using PostureSync.Core.Acl;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    /// <summary>The dACL and show forms seen in public samples (REALWORLD-NOTES.md §3 and §5).</summary>
    public sealed class RealWorldAclFormTests
    {
        private static readonly PsnTarget Psn = new PsnTarget("10.1.1.1", IPAddress.Parse("10.1.1.1"));

        [Fact]
        public void BangCommentsAreRemarksWithAnInformationFinding()
        {
            const string text = "! Compliant dACL, pasted from the switch config\ndeny tcp any host 10.1.1.1 eq 8449\n!\npermit ip any any\n";

            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");
            AclList list = Assert.Single(document.Lists);

            Assert.Empty(document.Errors);
            Assert.Equal(AclFamily.IPv4, list.Family);
            Assert.Equal(new[] { AclLineKind.Remark, AclLineKind.Ace, AclLineKind.Remark, AclLineKind.Ace }, list.Lines.Select(l => l.Kind));
            Assert.Equal(2, AclLinter.Lint(list, new[] { Psn }, 8449).Count(f => f.StartsWith("ACL015 Information: line ", StringComparison.Ordinal)));
            Assert.Equal(DaclVerdicts.Pass, DaclEvaluator.EvaluateOne(list, Psn, 8449, null, Array.Empty<string>()).Verdict);
        }

        [Fact]
        public void ABangCommentNamingIpv6DoesNotMakeTheListIpv6()
        {
            AclDocument document = AclParser.Parse("! ipv6 rules follow later\ndeny tcp any host 10.1.1.1 eq 8449\n", AclInputFormat.Dacl, "-Content");

            Assert.Equal(AclParser.DaclIpv4Name, Assert.Single(document.Lists).Name);
        }

        [Fact]
        public void FqdnListsAreReadAndADynamicHostThatCouldDecideIsUnknown()
        {
            const string text = "FQDN IP access list ALLOW-CLOUD\n" +
                "    10 permit tcp any host dynamic portal.example.com eq 8449\n" +
                "    20 deny tcp any host 10.1.1.1 eq 8449\n" +
                "    30 permit ip any any\n";

            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");
            AclList list = Assert.Single(document.Lists);
            DaclTestResult result = DaclEvaluator.EvaluateOne(list, Psn, 8449, null, Array.Empty<string>());

            Assert.Equal(AclInputFormat.ShowAccessList, document.Format);
            Assert.Empty(document.Errors);
            Assert.Equal("ALLOW-CLOUD", list.Name);
            Assert.Equal(DaclVerdicts.Unknown, result.Verdict);
            Assert.Contains("host dynamic portal.example.com", result.Reason);
        }

        [Fact]
        public void ADynamicHostBelowTheDenyDoesNotMatter()
        {
            const string text = "FQDN IP access list F\n 10 deny tcp any host 10.1.1.1 eq 8449\n 20 permit ip any host dynamic a.example.com\n";

            AclList list = Assert.Single(AclParser.Parse(text, AclInputFormat.Auto, "-Content").Lists);

            Assert.Equal(DaclVerdicts.Pass, DaclEvaluator.EvaluateOne(list, Psn, 8449, null, Array.Empty<string>()).Verdict);
        }

        [Fact]
        public void MacListsAreSkippedWithOneNoticeEach()
        {
            const string text = "Extended MAC access list MAC-ONLY\n    permit any any\n    deny any host 0000.1111.2222\n" +
                "Extended IP access list xACSACLx-IP-C-636b75ac\n    10 deny tcp any host 10.1.1.1 eq 8449\n";

            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");

            Assert.Empty(document.Errors);
            Assert.Equal("xACSACLx-IP-C-636b75ac", Assert.Single(document.Lists).Name);
            string notice = Assert.Single(document.Notices);
            Assert.Contains("Extended MAC access list MAC-ONLY", notice);
        }

        [Fact]
        public void AnUnknownSectionKindIsOneErrorNotOnePerLine()
        {
            const string text = "Extended IP access list A\n 10 deny tcp any host 10.1.1.1 eq 8449\n" +
                "Object-group access list OG\n 10 permit object-group web any\n 20 permit object-group mail any\n 30 deny all\n";

            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");

            AclSyntaxError error = Assert.Single(document.Errors);
            Assert.Equal(3, error.Line);
            Assert.Equal("A", Assert.Single(document.Lists).Name);
        }

        [Theory]
        [InlineData("Extended IP access list xACSACLx-IP-NOICMP-TELNET-5f152814 (per-user)")]
        [InlineData("Extended IP access list xACSACLx-IP-NOICMP-TELNET-5f152814")]
        public void ThePerUserSuffixIsOptional(string header)
        {
            AclDocument document = AclParser.Parse(header + "\n    10 deny tcp any host 10.1.1.1 eq 8449\n    20 permit ip any any\n", AclInputFormat.Auto, "-Content");

            Assert.Empty(document.Errors);
            Assert.Equal("xACSACLx-IP-NOICMP-TELNET-5f152814", Assert.Single(document.Lists).Name);
        }
    }
}
