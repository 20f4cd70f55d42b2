using System;
using System.Linq;
using System.Net;
using PostureSync.Core.Acl;
using Xunit;
using static PostureSync.Core.Tests.Acl.AclTestHelpers;

namespace PostureSync.Core.Tests.Acl
{
    /// <summary>Every row of ACL-GRAMMAR.md "Worked vectors", then the edges around them.</summary>
    public class DaclEvaluatorTests
    {
        [Fact]
        public void Vector_DenyExactPortThenPermitAll_Passes()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Pass, result.Verdict);
            Assert.Equal(DaclActions.Deny, result.Action);
            Assert.Equal(1, result.DecidingLine);
            Assert.Equal("deny tcp any host 10.1.1.1 eq 8449", result.DecidingAce);
            Assert.Null(result.CounterExample);
            Assert.Contains("Line 1 denies all TCP to 10.1.1.1:8449", result.Reason);
        }

        [Theory]
        [InlineData("deny tcp any host 10.1.1.1 gt 8448")]
        [InlineData("deny tcp any host 10.1.1.1 range 8000 9000")]
        [InlineData("deny ip any host 10.1.1.1")]
        [InlineData("deny tcp any 10.1.1.0 0.0.0.255 eq 8449")]
        public void Vector_WiderDenies_Pass(string deny)
        {
            DaclTestResult result = Evaluate(Dacl(deny, "permit ip any any"));

            Assert.Equal(DaclVerdicts.Pass, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
        }

        [Theory]
        [InlineData("deny tcp any host 10.1.1.1 neq 8449")]
        [InlineData("deny udp any host 10.1.1.1 eq 8449")]
        public void Vector_DenyThatMissesThePort_FailsOnLine2(string deny)
        {
            DaclTestResult result = Evaluate(Dacl(deny, "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal(DaclActions.Permit, result.Action);
            Assert.Equal(2, result.DecidingLine);
            Assert.Equal("permit ip any any", result.DecidingAce);
            Assert.Equal("tcp 192.0.2.1:1024 -> 10.1.1.1:8449", result.CounterExample);
        }

        [Fact]
        public void Vector_PermitBeforeDeny_FailsOnLine1AndLine2IsShadowed()
        {
            AclList list = Dacl("permit tcp any any", "deny tcp any host 10.1.1.1 eq 8449");

            DaclTestResult result = Evaluate(list);

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
            Assert.Contains(Lint(list, "10.1.1.1"), f => f.StartsWith("ACL001 Warning: line 2 ", StringComparison.Ordinal) && f.Contains("shadowed by line 1"));
        }

        [Fact]
        public void Vector_PermitOfAnotherPortFirst_Passes()
        {
            DaclTestResult result = Evaluate(Dacl("permit tcp any any eq 443", "deny tcp any host 10.1.1.1 eq 8449", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Pass, result.Verdict);
            Assert.Equal(2, result.DecidingLine);
        }

        [Fact]
        public void Vector_MultiPortPermit_FailsOnLine1()
        {
            DaclTestResult result = Evaluate(Dacl("permit tcp any host 10.1.1.1 eq www 8449", "deny tcp any host 10.1.1.1 eq 8449", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
            Assert.Equal("tcp 192.0.2.1:1024 -> 10.1.1.1:8449", result.CounterExample);
        }

        [Fact]
        public void Vector_EstablishedDeny_FailsBecauseTheSynIsPermitted()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449 established", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal(2, result.DecidingLine);
            Assert.Contains("opening SYN", result.Reason);
            Assert.Contains("line 1 denies only established packets", result.Reason);
            Assert.Equal("tcp 192.0.2.1:1024 -> 10.1.1.1:8449", result.CounterExample);
        }

        [Fact]
        public void Vector_EstablishedPermitFirst_WarnsNotSilentPass()
        {
            DaclTestResult result = Evaluate(Dacl("permit tcp any any established", "deny tcp any host 10.1.1.1 eq 8449", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Warn, result.Verdict);
            Assert.Equal(DaclActions.Deny, result.Action);
            Assert.Equal(2, result.DecidingLine);
            Assert.Contains("no connection can open", result.Reason);
            Assert.Contains("line 1 permits established TCP", result.Reason);
        }

        [Fact]
        public void Vector_DenyForOneSource_FailsForAnySourceAndPassesForThatEndpoint()
        {
            AclList list = Dacl("deny tcp host 192.168.1.10 host 10.1.1.1 eq 8449", "permit ip any any");

            DaclTestResult anySource = Evaluate(list);
            DaclTestResult endpoint = Evaluate(list, endpoint: "192.168.1.10");
            DaclTestResult otherEndpoint = Evaluate(list, endpoint: "192.168.1.11");

            Assert.Equal(DaclVerdicts.Fail, anySource.Verdict);
            Assert.Equal(2, anySource.DecidingLine);
            Assert.Equal("tcp 192.0.2.1:1024 -> 10.1.1.1:8449", anySource.CounterExample);
            Assert.Equal(DaclVerdicts.Pass, endpoint.Verdict);
            Assert.Equal("192.168.1.10", endpoint.EndpointAddress);
            Assert.Equal(DaclVerdicts.Fail, otherEndpoint.Verdict);
            Assert.Equal("tcp 192.168.1.11:1024 -> 10.1.1.1:8449", otherEndpoint.CounterExample);
        }

        [Fact]
        public void Vector_OnlyUdpPermitted_IsImplicitDeny()
        {
            DaclTestResult result = Evaluate(Dacl("permit udp any any"));

            Assert.Equal(DaclVerdicts.Warn, result.Verdict);
            Assert.Equal(DaclActions.ImplicitDeny, result.Action);
            Assert.Null(result.DecidingLine);
            Assert.Contains("not explicitly denied", result.Reason);
        }

        [Fact]
        public void CounterExampleAvoidsTheDeniedPreferredSource()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp host 192.0.2.1 host 10.1.1.1 eq 8449", "permit tcp any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.NotEqual("tcp 192.0.2.1:1024 -> 10.1.1.1:8449", result.CounterExample);
            Assert.EndsWith(" -> 10.1.1.1:8449", result.CounterExample);
        }

        [Fact]
        public void UnionOfDeniesPasses()
        {
            DaclTestResult result = Evaluate(Dacl(
                "deny tcp any host 10.1.1.1 lt 8449",
                "deny tcp any host 10.1.1.1 gt 8448 established",
                "deny tcp 0.0.0.0 127.255.255.255 host 10.1.1.1 eq 8449",
                "deny tcp 128.0.0.0 127.255.255.255 host 10.1.1.1 eq 8449",
                "permit ip any any"));

            Assert.Equal(DaclVerdicts.Pass, result.Verdict);
            Assert.Equal(4, result.DecidingLine);
            Assert.Contains("Lines 2, 3, 4", result.Reason);
        }

        [Fact]
        public void NonContiguousWildcardDenyThatMissesThePsnFails()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any 10.1.0.0 0.0.3.2 eq 8449", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
        }

        [Fact]
        public void PartialDenyDoesNotProtect()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449 dscp ef", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal(2, result.DecidingLine);
            Assert.Contains("line 1 deny only packets with particular options", result.Reason);
        }

        [Fact]
        public void PartialPermitLeaksWithTheOptionInTheCounterExample()
        {
            DaclTestResult result = Evaluate(Dacl("permit tcp any any dscp ef", "deny tcp any host 10.1.1.1 eq 8449"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
            Assert.Equal("tcp 192.0.2.1:1024 -> 10.1.1.1:8449 with dscp ef", result.CounterExample);
        }

        [Theory]
        [InlineData("deny tcp any object-group PSNS eq 8449", "object-group PSNS")]
        [InlineData("deny tcp any host 10.1.1.1 eq 8449 time-range NIGHT", "time-range NIGHT")]
        [InlineData("permit tcp any any syn ack", "several TCP flags")]
        public void UnmodelledLineThatCouldDecideIsUnknown(string first, string what)
        {
            DaclTestResult result = Evaluate(Dacl(first, "deny tcp any host 10.1.1.1 eq 8449", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Unknown, result.Verdict);
            Assert.Equal(DaclActions.Unknown, result.Action);
            Assert.Equal(1, result.DecidingLine);
            Assert.Contains(what, result.Reason);
        }

        [Fact]
        public void UnmodelledLineThatCannotMatchIsSkipped()
        {
            DaclTestResult result = Evaluate(Dacl("permit udp any object-group DNS eq domain", "deny tcp any host 10.1.1.1 eq 8449", "permit ip any any"));
            Assert.Equal(DaclVerdicts.Pass, result.Verdict);
        }

        [Fact]
        public void SyntaxErrorThatCouldDecideIsUnknownNeverPass()
        {
            AclList list = Parse(AclInputFormat.Dacl, "deny tcp any host 10.1.1.1 eq https", "permit ip any any").Lists[0];

            DaclTestResult result = Evaluate(list);

            Assert.Equal(DaclVerdicts.Unknown, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
            Assert.Contains("does not parse", result.Reason);
        }

        [Fact]
        public void SyntaxErrorInAUdpLineCannotDecide()
        {
            AclList list = Parse(AclInputFormat.Dacl, "permit udp any any eq https", "deny tcp any host 10.1.1.1 eq 8449").Lists[0];
            Assert.Equal(DaclVerdicts.Pass, Evaluate(list).Verdict);
        }

        [Fact]
        public void SyntaxErrorAfterTheDecisionDoesNotMatter()
        {
            AclList list = Parse(AclInputFormat.Dacl, "deny tcp any host 10.1.1.1 eq 8449", "permit tcp any any eq https").Lists[0];
            Assert.Equal(DaclVerdicts.Pass, Evaluate(list).Verdict);
        }

        [Fact]
        public void Ipv6ListAndPsn()
        {
            AclList list = Parse(AclInputFormat.Dacl, "deny tcp any host 2001:db8::10 eq 8449", "permit ipv6 any any").Lists.Single();

            Assert.Equal(DaclVerdicts.Pass, Evaluate(list, "2001:db8::10").Verdict);
            DaclTestResult other = Evaluate(list, "2001:db8::11");
            Assert.Equal(DaclVerdicts.Fail, other.Verdict);
            Assert.Equal("tcp [2001:db8::1]:1024 -> [2001:db8::11]:8449", other.CounterExample);
        }

        [Fact]
        public void ListOfTheOtherFamilyDoesNotApply()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449"), "2001:db8::10");

            Assert.Equal(DaclVerdicts.Warn, result.Verdict);
            Assert.Equal(DaclActions.Unknown, result.Action);
            Assert.Contains("does not filter traffic to [2001:db8::10]:8449", result.Reason);
        }

        [Fact]
        public void CheckPairsPsnsWithTheListOfTheirFamily()
        {
            AclDocument document = Parse(AclInputFormat.Dacl, "deny tcp any host 10.1.1.1 eq 8449", "deny tcp any host 2001:db8::10 eq 8449", "permit ip any any", "permit ipv6 any any");
            var psns = new[] { Psn1, new PsnTarget("psn6", IPAddress.Parse("2001:db8::10")) };

            var checks = DaclEvaluator.Check(document.Lists, psns, 8449, null);

            Assert.Equal("10.1.1.1", Assert.Single(checks[0].Results).Psn);
            Assert.Equal("psn6 (2001:db8::10)", Assert.Single(checks[1].Results).Psn);
            Assert.All(checks.SelectMany(c => c.Results), r => Assert.Equal(DaclVerdicts.Pass, r.Verdict));
        }

        [Fact]
        public void CheckReportsAPsnWhoseFamilyHasNoList()
        {
            var psns = new[] { Psn1, new PsnTarget("psn6", IPAddress.Parse("2001:db8::10")) };

            var check = Assert.Single(DaclEvaluator.Check(new[] { Dacl("deny tcp any host 10.1.1.1 eq 8449") }, psns, 8449, null));

            Assert.Equal(2, check.Results.Count);
            Assert.Equal(DaclVerdicts.Warn, check.Results[1].Verdict);
        }

        [Fact]
        public void ResultCarriesListSourceFormatPortAndFindings()
        {
            AclDocument document = AclParser.Parse(Fixture("avpairs.radius.txt"), AclInputFormat.Auto, "radius.txt");

            var check = DaclEvaluator.Check(AclParser.Select(document, null).Lists, new[] { Psn1 }, 8449, null).Single();
            DaclTestResult result = Assert.Single(check.Results);

            Assert.Equal("xACSACLx-IP-COMPLIANT-5f152814", result.AclName);
            Assert.Equal("radius.txt", result.Source);
            Assert.Equal("AvPair", result.InputFormat);
            Assert.Equal(8449, result.Port);
            Assert.Equal(DaclVerdicts.Pass, result.Verdict);
            Assert.Equal(3, result.DecidingLine);
            Assert.Same(check.Findings, result.Findings);
        }

        [Fact]
        public void OtherPortsAreEvaluatedToo()
        {
            AclList list = Dacl("deny tcp any host 10.1.1.1 eq 8449", "permit ip any any");

            Assert.Equal(DaclVerdicts.Fail, Evaluate(list, port: 8905).Verdict);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(65536)]
        public void PortOutOfRangeIsRejected(int port)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Evaluate(Dacl("permit ip any any"), port: port));
        }

        [Fact]
        public void EmptyListFallsToTheImplicitDeny()
        {
            AclList list = Parse(AclInputFormat.Dacl, "remark nothing else").Lists.Single();
            Assert.Equal(DaclActions.ImplicitDeny, Evaluate(list).Action);
        }

        [Fact]
        public void SynOnlyDenyThenPermit_WarnsNoConnectionCanOpen_NeverFailsWithTheDeniedSyn()
        {
            // The opening SYN carries 'syn', so line 1 denies it; what line 2 lets through cannot open a connection.
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449 syn", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Warn, result.Verdict);
            Assert.Equal(DaclActions.Deny, result.Action);
            Assert.Equal(1, result.DecidingLine);
            Assert.Null(result.CounterExample);
            Assert.Contains("no connection can open", result.Reason);
            Assert.Contains("line 2 permits the rest", result.Reason);
        }

        [Fact]
        public void SynOnlyDenyCompletedByAFullDeny_Passes()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449 syn", "deny tcp any host 10.1.1.1 eq 8449", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Pass, result.Verdict);
            Assert.Equal(2, result.DecidingLine);
        }

        [Fact]
        public void SynOnlyDenyForAnotherPort_StillFailsWithTheOpeningSyn()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 443 syn", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal("tcp 192.0.2.1:1024 -> 10.1.1.1:8449", result.CounterExample);
        }

        [Fact]
        public void UnmodelledDenyForOneSource_FailsWithAPacketFromAnotherSource()
        {
            // Whatever the time-range means, traffic from other sources reaches the permit.
            DaclTestResult result = Evaluate(Dacl("deny tcp host 192.0.2.1 host 10.1.1.1 eq 8449 time-range NIGHT", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal(2, result.DecidingLine);
            Assert.NotNull(result.CounterExample);
            Assert.StartsWith("tcp ", result.CounterExample);
            Assert.DoesNotContain("192.0.2.1:", result.CounterExample);
            Assert.EndsWith("-> 10.1.1.1:8449", result.CounterExample);
        }

        [Fact]
        public void UnmodelledDenyThenPermitOfTheSameTraffic_IsUnknown()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449 time-range NIGHT", "permit tcp any host 10.1.1.1 range 8000 9000"));

            Assert.Equal(DaclVerdicts.Unknown, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
            Assert.Contains("line 2 permits TCP", result.Reason, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void UnmodelledDenyAtTheEnd_IsUnknownNotAnImplicitDenyWarning()
        {
            DaclTestResult result = Evaluate(Dacl("deny tcp any object-group PSNS eq 8449"));

            Assert.Equal(DaclVerdicts.Unknown, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
        }

        [Fact]
        public void PartialDenyThatMatchesTheUsualPacket_CounterExampleSaysWhatItMustNotCarry()
        {
            // dscp default is what an unmarked SYN carries: the leak is a marked packet, and the counter-example says so.
            DaclTestResult result = Evaluate(Dacl("deny tcp any host 10.1.1.1 eq 8449 dscp default", "permit ip any any"));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Equal("tcp 192.0.2.1:1024 -> 10.1.1.1:8449 not matching 'dscp default'", result.CounterExample);
        }

        [Fact]
        public void StandardListAdviceDoesNotSuggestAnExtendedAceInIt()
        {
            AclDocument document = AclParser.Parse("Standard IP access list 1\n 10 permit any", AclInputFormat.Auto, "-Content");

            DaclTestResult result = Evaluate(Assert.Single(document.Lists));

            Assert.Equal(DaclVerdicts.Fail, result.Verdict);
            Assert.Contains("standard list matches the source only", result.Reason);
        }

        [Fact]
        public void OverlongLineThatCouldDecide_IsUnknown()
        {
            AclDocument document = AclParser.Parse("deny tcp any host 10.1.1.1 eq 8449" + new string(' ', AclParser.MaxLineLength) + "log\npermit ip any any", AclInputFormat.Dacl, "-Content");

            DaclTestResult result = Evaluate(Assert.Single(document.Lists));

            Assert.Equal(DaclVerdicts.Unknown, result.Verdict);
            Assert.Equal(1, result.DecidingLine);
        }
    }
}
