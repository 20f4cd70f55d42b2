using PostureSync.Core.Acl;
using Xunit;
using static PostureSync.Core.Tests.Acl.AclTestHelpers;

namespace PostureSync.Core.Tests.Acl
{
    public class AceParserTests
    {
        [Theory]
        [InlineData("ip", 0, true)]
        [InlineData("ip", 89, true)]
        [InlineData("icmp", 1, true)]
        [InlineData("igmp", 2, true)]
        [InlineData("ipinip", 4, true)]
        [InlineData("tcp", 6, true)]
        [InlineData("udp", 17, true)]
        [InlineData("gre", 47, true)]
        [InlineData("esp", 50, true)]
        [InlineData("ahp", 51, true)]
        [InlineData("eigrp", 88, true)]
        [InlineData("ospf", 89, true)]
        [InlineData("nos", 94, true)]
        [InlineData("pim", 103, true)]
        [InlineData("pcp", 108, true)]
        [InlineData("sctp", 132, true)]
        [InlineData("TCP", 6, true)]
        [InlineData("6", 6, true)]
        [InlineData("255", 255, true)]
        [InlineData("gre", 6, false)]
        [InlineData("17", 6, false)]
        public void ProtocolsByNameAndNumber(string protocol, int number, bool matches)
        {
            AclLine line = Ace("permit " + protocol + " any any");
            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.Equal(matches, Matches(line, number, "192.0.2.1", 0, "10.0.0.1", 0));
        }

        [Theory]
        [InlineData("256")]
        [InlineData("tcpx")]
        [InlineData("ipv6")]
        public void BadProtocolIsAnError(string protocol)
        {
            AclSyntaxError error = Error("permit " + protocol + " any any");
            Assert.Equal(8, error.Column);
            Assert.Contains("protocol", error.Expected);
        }

        [Fact]
        public void HostAnyAndWildcardAddresses()
        {
            AclLine line = Ace("deny tcp host 192.168.1.10 10.1.0.0 0.0.255.255 eq 8449");

            Assert.True(MatchesTcp(line, "10.1.200.7", 8449, "192.168.1.10"));
            Assert.False(MatchesTcp(line, "10.2.0.1", 8449, "192.168.1.10"));
            Assert.False(MatchesTcp(line, "10.1.200.7", 8449, "192.168.1.11"));
            Assert.False(line.SourceIsAny);
            Assert.Equal("host 192.168.1.10", line.SourceText);
        }

        [Fact]
        public void NonContiguousWildcardIsACubeNotAnInterval()
        {
            // 0.0.3.3 leaves bits 0,1,8,9 free: 10.1.1.1 matches, 10.1.1.5 (bit 2 differs) does not.
            AclLine line = Ace("permit ip any 10.1.0.0 0.0.3.3");

            Assert.True(Matches(line, 6, "192.0.2.1", 1, "10.1.3.3", 1));
            Assert.True(Matches(line, 6, "192.0.2.1", 1, "10.1.1.1", 1));
            Assert.False(Matches(line, 6, "192.0.2.1", 1, "10.1.1.5", 1));
            Assert.False(Matches(line, 6, "192.0.2.1", 1, "10.1.4.0", 1));
        }

        [Fact]
        public void AddressBitsUnderTheWildcardAreIgnored()
        {
            AclLine line = Ace("deny ip any 10.1.1.77 0.0.0.255");
            Assert.True(Matches(line, 6, "192.0.2.1", 1, "10.1.1.200", 1));
        }

        [Fact]
        public void ShowStyleWildcardBitsWithComma()
        {
            AclLine line = Ace("deny   192.168.1.0, wildcard bits 0.0.0.255", standard: true);

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.True(Matches(line, 17, "192.168.1.99", 5, "203.0.113.9", 7));
            Assert.False(Matches(line, 17, "192.168.2.99", 5, "203.0.113.9", 7));
        }

        [Fact]
        public void StandardAceTakesABareHost()
        {
            AclLine line = Ace("permit 10.1.2.3 log", standard: true);
            Assert.True(Matches(line, 6, "10.1.2.3", 1, "198.51.100.1", 1));
            Assert.False(Matches(line, 6, "10.1.2.4", 1, "198.51.100.1", 1));
        }

        [Fact]
        public void ExtendedAceRejectsABareAddressWithAHint()
        {
            AclSyntaxError error = Error("deny tcp any 10.1.1.1 eq 8449");
            Assert.Equal(14, error.Column);
            Assert.Equal("10.1.1.1", error.Token);
            Assert.Contains("host 10.1.1.1", error.Expected);
        }

        [Fact]
        public void PrefixFormIsAcceptedWithAWarning()
        {
            AclLine line = Ace("deny tcp any 10.1.1.0/24 eq 8449");

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.True(MatchesTcp(line, "10.1.1.200", 8449));
            Assert.False(MatchesTcp(line, "10.1.2.1", 8449));
            AclNote note = Assert.Single(line.Notes);
            Assert.Equal("ACL011", note.Id);
            Assert.Contains("10.1.1.0 0.0.0.255", note.Text);
        }

        [Fact]
        public void NetmaskLookingWildcardIsLegalButNoted()
        {
            AclLine line = Ace("deny tcp any 10.1.1.0 255.255.255.0 eq 8449");

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.True(MatchesTcp(line, "99.88.77.0", 8449));
            Assert.False(MatchesTcp(line, "10.1.1.1", 8449));
            Assert.Contains(line.Notes, n => n.Id == "ACL007" && n.Text.Contains("0.0.0.255"));
        }

        [Fact]
        public void ObjectGroupIsUnmodelled()
        {
            AclLine line = Ace("deny tcp any object-group PSNS eq 8449");

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.Equal("object-group PSNS", line.Unmodelled);
            Assert.Contains(line.Notes, n => n.Id == "ACL008");
        }

        [Fact]
        public void Ipv6AnyHostAndPrefix()
        {
            AclLine host = Ace("deny tcp any host 2001:DB8::10 eq 8449", AclFamily.IPv6);
            AclLine prefix = Ace("permit ipv6 2001:db8:1::/48 any", AclFamily.IPv6);

            Assert.True(MatchesTcp(host, "2001:db8::10", 8449, "2001:db8:9::1"));
            Assert.False(MatchesTcp(host, "2001:db8::11", 8449, "2001:db8:9::1"));
            Assert.True(Matches(prefix, 17, "2001:db8:1:ffff::1", 1, "2001:db8::10", 1));
            Assert.False(Matches(prefix, 17, "2001:db8:2::1", 1, "2001:db8::10", 1));
        }

        [Fact]
        public void Ipv6ListRejectsIpv4AddressesAndIpProtocol()
        {
            Assert.Contains("IPv6", Error("deny tcp any host 10.1.1.1 eq 8449", AclFamily.IPv6).Expected);
            Assert.Contains("ipv6", Error("permit ip any any", AclFamily.IPv6).Expected);
        }

        [Theory]
        [InlineData("eq 8449", 8449, true)]
        [InlineData("eq 8449", 8448, false)]
        [InlineData("eq www 8449", 80, true)]
        [InlineData("eq www 8449", 8449, true)]
        [InlineData("eq www 8449", 443, false)]
        [InlineData("neq 8449", 8449, false)]
        [InlineData("neq 8449", 8450, true)]
        [InlineData("neq 80 8449", 80, false)]
        [InlineData("neq 80 8449", 81, true)]
        [InlineData("lt 1024", 1023, true)]
        [InlineData("lt 1024", 1024, false)]
        [InlineData("gt 8448", 8449, true)]
        [InlineData("gt 8448", 8448, false)]
        [InlineData("range 8000 9000", 8449, true)]
        [InlineData("range 8000 9000", 9001, false)]
        [InlineData("range 8000 9000", 8000, true)]
        public void PortOperators(string op, int port, bool matches)
        {
            AclLine line = Ace("deny tcp any host 10.1.1.1 " + op);
            Assert.Equal(matches, MatchesTcp(line, "10.1.1.1", port));
        }

        [Fact]
        public void SourcePortOperators()
        {
            AclLine line = Ace("deny tcp any eq www whois uucp domain ident host 10.10.10.10 tos normal");

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.True(Matches(line, 6, "192.0.2.1", 43, "10.10.10.10", 9));
            Assert.True(Matches(line, 6, "192.0.2.1", 540, "10.10.10.10", 9));
            Assert.False(Matches(line, 6, "192.0.2.1", 1024, "10.10.10.10", 9));
        }

        [Fact]
        public void ReversedRangeIsTheSpanBetweenWithAWarning()
        {
            AclLine line = Ace("deny tcp any range www domain 10.10.10.10 0.0.0.255");

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.True(Matches(line, 6, "192.0.2.1", 53, "10.10.10.1", 1));
            Assert.True(Matches(line, 6, "192.0.2.1", 80, "10.10.10.1", 1));
            Assert.False(Matches(line, 6, "192.0.2.1", 81, "10.10.10.1", 1));
            Assert.Contains(line.Notes, n => n.Id == "ACL012");
        }

        [Theory]
        [InlineData("tcp", "exec", 512)]
        [InlineData("udp", "biff", 512)]
        [InlineData("tcp", "cmd", 514)]
        [InlineData("udp", "syslog", 514)]
        [InlineData("tcp", "onep-tls", 15002)]
        [InlineData("udp", "non500-isakmp", 4500)]
        [InlineData("udp", "bootps", 67)]
        [InlineData("tcp", "WWW", 80)]
        public void NamedPortsDependOnTheProtocol(string protocol, string name, int port)
        {
            AclLine line = Ace("permit " + protocol + " any any eq " + name);
            Assert.True(Matches(line, protocol == "tcp" ? 6 : 17, "192.0.2.1", 1, "10.0.0.1", port));
        }

        [Fact]
        public void NameFromTheOtherProtocolIsAnErrorWithTheNumber()
        {
            AclSyntaxError error = Error("permit udp any any eq www");
            Assert.Equal("www", error.Token);
            Assert.Contains("use 80", error.Hint);
            Assert.Contains("a number 0-65535 or a udp name", error.Expected);
        }

        [Theory]
        [InlineData("https", "443")]
        [InlineData("ssh", "22")]
        [InlineData("http", "80")]
        [InlineData("ldap", "389")]
        [InlineData("nfs", "2049")]
        [InlineData("imap", "143")]
        public void AsaOnlyNamesAreErrorsWithAHint(string name, string number)
        {
            AclLine line = Ace("permit tcp any any eq " + name);

            Assert.Equal(AclLineKind.Invalid, line.Kind);
            Assert.Contains("use " + number, line.Error!.Hint);
            Assert.Contains(line.Notes, n => n.Id == "ACL010");
        }

        [Fact]
        public void MissingPortGivesTheDocumentedMessage()
        {
            AclSyntaxError error = Error("deny tcp any host 10.1.1.1 eq");

            Assert.Equal("a port after 'eq': a number 0-65535 or a tcp name such as www", error.Expected);
            Assert.Equal(AclTokenizer.EndOfLine, error.Token);
            Assert.Equal(30, error.Column);
            Assert.Contains("Line 1, column 30", error.Message);
        }

        [Fact]
        public void PortOutOfRangeIsAnError()
        {
            AclSyntaxError error = Error("deny tcp any host 10.1.1.1 eq 65536");
            Assert.Equal("65536", error.Token);
            Assert.Equal(31, error.Column);
        }

        [Fact]
        public void PortOperatorOnIpIsAnError()
        {
            AclSyntaxError error = Error("permit ip any any eq 80");
            Assert.Equal("eq", error.Token);
            Assert.Contains("only with tcp or udp", error.Expected);
        }

        [Theory]
        [InlineData("permit icmp any any echo", 8, 0, true)]
        [InlineData("permit icmp any any echo", 0, 0, false)]
        [InlineData("permit icmp any any port-unreachable", 3, 3, true)]
        [InlineData("permit icmp any any port-unreachable", 3, 1, false)]
        [InlineData("permit icmp any any unreachable", 3, 13, true)]
        [InlineData("permit icmp any any 3 4", 3, 4, true)]
        [InlineData("permit icmp any any 3 4", 3, 5, false)]
        [InlineData("permit icmp any any ttl-exceeded", 11, 0, true)]
        [InlineData("permit icmp any any", 13, 0, true)]
        public void IcmpTypesCodesAndNames(string text, int type, int code, bool matches)
        {
            AclLine line = Ace(text);
            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.Equal(matches, Matches(line, 1, "192.0.2.1", type, "10.0.0.1", code));
        }

        [Theory]
        [InlineData("log")]
        [InlineData("log-input")]
        public void LoggingChangesNothing(string option)
        {
            AclLine line = Ace("deny tcp any host 10.1.1.1 eq 8449 " + option);
            Assert.True(line.IsExact);
        }

        [Fact]
        public void EstablishedMatchesOnlyAckOrRst()
        {
            AclLine line = Ace("permit tcp any any established");

            Assert.True(line.IsExact);
            Assert.False(MatchesTcp(line, "10.1.1.1", 8449));
            Assert.True(Matches(line, 6, "192.0.2.1", 1024, "10.1.1.1", 8449, established: true));
        }

        [Theory]
        [InlineData("dscp ef")]
        [InlineData("dscp 46")]
        [InlineData("dscp af41")]
        [InlineData("precedence critical")]
        [InlineData("precedence 5")]
        [InlineData("tos normal")]
        [InlineData("tos max-throughput")]
        [InlineData("fragments")]
        [InlineData("ttl eq 1")]
        [InlineData("ttl range 1 5")]
        [InlineData("option record-route")]
        [InlineData("syn")]
        [InlineData("ack")]
        public void NarrowingOptionsArePartialMatches(string option)
        {
            AclLine line = Ace("deny tcp any host 10.1.1.1 eq 8449 " + option);

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.True(line.IsPartial);
            Assert.Null(line.Unmodelled);
            Assert.Equal(option, line.PartialOptions);
        }

        [Theory]
        [InlineData("time-range WORKHOURS", "time-range WORKHOURS", "ACL009")]
        [InlineData("syn ack", "several TCP flags", "ACL013")]
        [InlineData("match-any +syn +ack", "match-any TCP flags", "ACL013")]
        public void UnmodelledOptionsAreFlagged(string option, string unmodelled, string noteId)
        {
            AclLine line = Ace("deny tcp any host 10.1.1.1 eq 8449 " + option);

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.Equal(unmodelled, line.Unmodelled);
            Assert.Contains(line.Notes, n => n.Id == noteId);
        }

        [Theory]
        [InlineData("permit udp any any established")]
        [InlineData("permit ip any any syn")]
        [InlineData("permit tcp any any dscp 64")]
        [InlineData("permit tcp any any precedence 8")]
        [InlineData("permit tcp any any tos 16")]
        [InlineData("permit tcp any any ttl eq 256")]
        [InlineData("permit tcp any any frobnicate")]
        public void BadOptionsAreErrors(string text)
        {
            Assert.Equal(AclLineKind.Invalid, Ace(text).Kind);
        }

        [Fact]
        public void RemarkIsNotAnAceAndNeverAnError()
        {
            AclLine line = Ace("remark permit everything eq https !!!");
            Assert.Equal(AclLineKind.Remark, line.Kind);
            Assert.Null(line.Error);
            Assert.Equal(AclLineKind.Remark, Ace("10 remark numbered").Kind);
        }

        [Fact]
        public void LeadingAndTrailingSequenceNumbers()
        {
            Assert.Equal(30, Ace("30 deny tcp any host 10.1.1.1 eq 8449").Sequence);
            Assert.Equal(20, Ace("permit tcp any host 2001:db8::1 eq www sequence 20", AclFamily.IPv6).Sequence);
        }

        [Theory]
        [InlineData("10 deny tcp any host 10.1.1.1 eq 8449 (12 matches)", 12L)]
        [InlineData("10 deny tcp any host 10.1.1.1 eq 8449(1 match)", 1L)]
        [InlineData("10 permit 0.0.0.0, wildcard bits 255.255.255.252 log (4556 matches)", 4556L)]
        public void MatchCountersWithOrWithoutSpace(string text, long matches)
        {
            AclLine line = Ace(text, standard: text.Contains("wildcard bits"));
            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.Equal(matches, line.Matches);
            Assert.DoesNotContain("match", line.Text);
        }

        [Fact]
        public void Ipv6CounterBeforeSequence()
        {
            AclLine line = Ace("permit ipv6 any any (7 matches) sequence 20", AclFamily.IPv6);

            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.Equal(7L, line.Matches);
            Assert.Equal(20, line.Sequence);
        }

        [Fact]
        public void UnknownActionNamesWhatWasExpected()
        {
            AclSyntaxError error = Error("allow tcp any any");
            Assert.Equal(1, error.Column);
            Assert.Equal("'permit', 'deny' or 'remark'", error.Expected);
        }

        [Fact]
        public void InvalidLineKeepsWhatItParsed()
        {
            AclLine line = Ace("permit udp any any eq bogus");
            Assert.True(line.IsPermit);
            Assert.False(MatchesTcp(line, "10.1.1.1", 8449));
            Assert.True(Matches(line, 17, "192.0.2.1", 1, "10.1.1.1", 8449));
        }

        [Fact]
        public void UnmatchableLineHasNoCubes()
        {
            AclLine line = Ace("deny tcp any any lt 0");
            Assert.Equal(AclLineKind.Ace, line.Kind);
            Assert.Empty(line.Cubes);
        }
    }
}
