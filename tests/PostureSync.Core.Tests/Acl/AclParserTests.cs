using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using PostureSync.Bench;
using PostureSync.Core.Acl;
using Xunit;
using static PostureSync.Core.Tests.Acl.AclTestHelpers;

namespace PostureSync.Core.Tests.Acl
{
    public class AclParserTests
    {
        [Theory]
        [InlineData("show-access-list.ios-1.txt", 6)]
        [InlineData("show-access-list.ios-2.txt", 2)]
        [InlineData("show-access-list.ios-3.txt", 2)]
        public void RealIosOutputParsesWithoutASingleError(string file, int lists)
        {
            AclDocument document = AclParser.Parse(Fixture(file), AclInputFormat.Auto, file);

            Assert.Equal(AclInputFormat.ShowAccessList, document.Format);
            Assert.Empty(document.Errors);
            Assert.Equal(lists, document.Lists.Count);
            Assert.All(document.Lists.SelectMany(l => l.Lines), l => Assert.Equal(AclLineKind.Ace, l.Kind));
        }

        [Fact]
        public void RealIosOutputKeepsNamesKindsSequencesAndCounters()
        {
            AclDocument one = AclParser.Parse(Fixture("show-access-list.ios-1.txt"), AclInputFormat.Auto, "ios-1");
            AclDocument two = AclParser.Parse(Fixture("show-access-list.ios-2.txt"), AclInputFormat.Auto, "ios-2");
            AclDocument three = AclParser.Parse(Fixture("show-access-list.ios-3.txt"), AclInputFormat.Auto, "ios-3");

            Assert.Equal(new[] { "Virtual-Access1.1#1", "Virtual-Access1.1#2", "102", "VLAN-TEST", "1", "ciao" }, one.Lists.Select(l => l.Name));
            AclList standard = one.Lists.Single(l => l.Name == "1");
            Assert.True(standard.IsStandard);
            Assert.Equal(new[] { 10, 20, 30, 40 }, standard.Lines.Select(l => l.Sequence!.Value));
            Assert.Equal(15, standard.Lines[0].LineNumber);
            Assert.Equal(4556L, two.Lists[1].Lines[0].Matches);
            Assert.Equal(11665L, two.Lists[1].Lines[1].Matches);
            Assert.Equal(9999, three.Lists[0].Lines[0].Sequence);
            Assert.Equal(26, three.Lists[1].Lines.Count);
        }

        [Fact]
        public void ShowOutputWithPerUserListsPromptsIpv6AndMacLists()
        {
            AclDocument document = AclParser.Parse(Fixture("show-access-lists.per-user.txt"), AclInputFormat.Auto, "switch.txt");

            Assert.Empty(document.Errors);
            Assert.Equal(new[] { "PREAUTH", "xACSACLx-IP-COMPLIANT-636b75ac", "xACSACLx-IPV6-COMPLIANT-5f152814" }, document.Lists.Select(l => l.Name));
            AclList v6 = document.Lists[2];
            Assert.Equal(AclFamily.IPv6, v6.Family);
            Assert.Equal(new[] { 10, 20 }, v6.Lines.Select(l => l.Sequence!.Value));
            Assert.Equal(3L, document.Lists[1].Lines[2].Matches);
        }

        [Fact]
        public void DefaultSelectionIsTheDownloadedLists()
        {
            AclDocument document = AclParser.Parse(Fixture("show-access-lists.per-user.txt"), AclInputFormat.Auto, "switch.txt");

            AclSelection selection = AclParser.Select(document, null);

            Assert.Equal(new[] { "xACSACLx-IP-COMPLIANT-636b75ac", "xACSACLx-IPV6-COMPLIANT-5f152814" }, selection.Lists.Select(l => l.Name));
        }

        [Fact]
        public void DefaultSelectionIsEveryListWhenNoneIsDownloaded()
        {
            AclDocument document = AclParser.Parse(Fixture("show-access-list.ios-3.txt"), AclInputFormat.Auto, "ios-3");
            Assert.Equal(2, AclParser.Select(document, Array.Empty<string>()).Lists.Count);
        }

        [Fact]
        public void SelectionByNameWithWildcardsReportsUnmatchedNames()
        {
            AclDocument document = AclParser.Parse(Fixture("show-access-lists.per-user.txt"), AclInputFormat.Auto, "switch.txt");

            AclSelection selection = AclParser.Select(document, new[] { "*ipv6*", "preauth", "NOPE*" });

            Assert.Equal(new[] { "PREAUTH", "xACSACLx-IPV6-COMPLIANT-5f152814" }, selection.Lists.Select(l => l.Name));
            Assert.Equal(new[] { "NOPE*" }, selection.UnmatchedNames);
        }

        [Fact]
        public void AvPairsAreOrderedByNumberAndNamedFromTheAcsAttribute()
        {
            AclDocument document = AclParser.Parse(Fixture("avpairs.radius.txt"), AclInputFormat.Auto, "radius.txt");

            Assert.Equal(AclInputFormat.AvPair, document.Format);
            Assert.Empty(document.Errors);
            AclList v4 = document.Lists[0];
            Assert.Equal("xACSACLx-IP-COMPLIANT-5f152814", v4.Name);
            Assert.Equal(new[] { 3, 4, 2 }, v4.Lines.Select(l => l.LineNumber));
            Assert.Equal(new[] { 1, 2, 3 }, v4.Lines.Select(l => l.Sequence!.Value));
            Assert.Equal("ipv6:inacl", document.Lists[1].Name);
            Assert.Equal(AclFamily.IPv6, document.Lists[1].Family);
        }

        [Fact]
        public void DuplicateAvPairNumberIsAnError()
        {
            AclDocument document = Parse(AclInputFormat.Auto,
                "ip:inacl#1=deny tcp any host 10.1.1.1 eq 8449",
                "ip:inacl#1=permit ip any any");

            AclSyntaxError error = Assert.Single(document.Errors);
            Assert.Equal(2, error.Line);
            Assert.Equal(10, error.Column);
            Assert.Contains("line 1 already has inacl#1", error.Expected);
            Assert.Single(document.Lists[0].Lines);
        }

        [Fact]
        public void AvPairErrorColumnsPointIntoTheValue()
        {
            AclDocument document = Parse(AclInputFormat.AvPair, "cisco-av-pair=ip:inacl#1=deny tcp any host 10.1.1.1 eq https");

            AclSyntaxError error = Assert.Single(document.Errors);
            Assert.Equal(56, error.Column);
            Assert.Equal("https", error.Token);
        }

        [Fact]
        public void TextThatIsNotAnAvPairIsAnErrorInAvPairFormat()
        {
            AclDocument document = Parse(AclInputFormat.AvPair, "ip:inacl#1=permit ip any any", "just some words");
            Assert.Equal(2, Assert.Single(document.Errors).Line);
        }

        [Fact]
        public void DaclTextWithRemarksAndBlankLines()
        {
            AclDocument document = AclParser.Parse(Fixture("compliant.dacl.txt"), AclInputFormat.Auto, "compliant.dacl.txt");

            Assert.Equal(AclInputFormat.Dacl, document.Format);
            Assert.Empty(document.Errors);
            AclList list = Assert.Single(document.Lists);
            Assert.Equal(AclParser.DaclIpv4Name, list.Name);
            Assert.Equal(AclLineKind.Remark, list.Lines[0].Kind);
            Assert.Equal(5, list.Lines.Count);
        }

        [Fact]
        public void AgnosticDaclSplitsByFamilyAndSharesFamilyFreeLines()
        {
            AclDocument document = Parse(AclInputFormat.Dacl,
                "deny tcp any host 10.1.1.1 eq 8449",
                "deny tcp any host 2001:db8::10 eq 8449",
                "permit icmp any any",
                "permit ipv6 any any",
                "permit ip any any");

            Assert.Empty(document.Errors);
            AclList v4 = document.Lists.Single(l => l.Family == AclFamily.IPv4);
            AclList v6 = document.Lists.Single(l => l.Family == AclFamily.IPv6);
            Assert.Equal(new[] { 1, 3, 5 }, v4.Lines.Select(l => l.LineNumber));
            Assert.Equal(new[] { 2, 3, 4 }, v6.Lines.Select(l => l.LineNumber));
            Assert.True(Matches(v6.Lines[1], 58, "2001:db8::1", 128, "2001:db8::2", 0));
        }

        [Fact]
        public void SyntaxErrorsCarryLineColumnTokenAndExpectation()
        {
            AclDocument document = Parse(AclInputFormat.Dacl, "deny tcp any host 10.1.1.1 eq 8449", "", "permit tcp any any eq");

            AclSyntaxError error = Assert.Single(document.Errors);
            Assert.Equal(3, error.Line);
            Assert.Equal(22, error.Column);
            Assert.Equal(AclTokenizer.EndOfLine, error.Token);
            Assert.Equal("a port after 'eq': a number 0-65535 or a tcp name such as www", error.Expected);
        }

        [Fact]
        public void ShowTextBeforeTheFirstHeaderIsAnError()
        {
            AclDocument document = Parse(AclInputFormat.ShowAccessList, "garbage here", "Extended IP access list X", " 10 permit ip any any");

            Assert.Equal(1, Assert.Single(document.Errors).Line);
            Assert.Single(document.Lists);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   \n\n\t")]
        public void EmptyInputIsOneClearError(string text)
        {
            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");

            Assert.Empty(document.Lists);
            AclSyntaxError error = Assert.Single(document.Errors);
            Assert.Contains("empty", error.Hint);
        }

        [Fact]
        public void NullInputIsEmpty()
        {
            Assert.Single(AclParser.Parse(null, AclInputFormat.Dacl, "-Content").Errors);
        }

        [Fact]
        public void BinaryJunkIsOneClearError()
        {
            var random = new Random(7);
            var bytes = new byte[20000];
            random.NextBytes(bytes);
            string junk = Encoding.GetEncoding("ISO-8859-1").GetString(bytes);

            AclDocument document = AclParser.Parse(junk, AclInputFormat.Auto, "junk.bin");

            Assert.Empty(document.Lists);
            Assert.Equal("binary data", Assert.Single(document.Errors).Token);
        }

        [Fact]
        public void ManyBadLinesAreCappedAndCounted()
        {
            string text = string.Join("\n", Enumerable.Repeat("this is not an ace", 100000));

            var clock = Stopwatch.StartNew();
            AclDocument document = AclParser.Parse(text, AclInputFormat.Dacl, "-Content");
            clock.Stop();

            Assert.Equal(AclParser.MaxReportedErrors, document.Errors.Count);
            Assert.Equal(100000 - AclParser.MaxReportedErrors, document.ErrorsOmitted);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "parsing took " + clock.Elapsed);
        }

        [Fact]
        public void FortyThousandLineListParsesLintsAndEvaluates()
        {
            // About the most the 2,000,000-character cap admits.
            string text = DaclWorkload.Generate(40000, 10);
            Assert.InRange(text.Length, 1_500_000, AclParser.MaxChars);

            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");
            AclList list = Assert.Single(document.Lists);
            Assert.Empty(document.Errors);
            Assert.Equal(40001, list.Lines.Count);

            var clock = Stopwatch.StartNew();
            var checks = DaclEvaluator.Check(document.Lists, DaclWorkload.PsnAddresses(10).Select(a => new PsnTarget(a, IPAddress.Parse(a))).ToList(), 8449, null);
            clock.Stop();

            Assert.Equal(10, checks[0].Results.Count);
            Assert.All(checks[0].Results, r => Assert.Equal(DaclVerdicts.Pass, r.Verdict));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "checking took " + clock.Elapsed);
        }

        [Fact]
        public void APsnTheLongListNeverDeniesEndsUnknownWithinTheStepBudgetWhileOneDeniedOnTopPasses()
        {
            // 10,000 lines that keep splitting the traffic not yet decided: followed to the end this took 18 s of CPU
            // and 14 GB of allocation. The walk's counted budget stops it with a reason; a PSN the list denies on top
            // is still decided, as each walk has its own budget.
            AclDocument document = AclParser.Parse(DaclWorkload.Generate(10000, 4), AclInputFormat.Auto, "-Content");
            var psns = new[] { new PsnTarget("10.200.0.1", IPAddress.Parse("10.200.0.1")), new PsnTarget("10.1.0.1", IPAddress.Parse("10.1.0.1")) };

            var results = DaclEvaluator.Check(document.Lists, psns, 8449, null)[0].Results;

            Assert.Equal(DaclVerdicts.Unknown, results[0].Verdict);
            Assert.Contains("more work than one check may do", results[0].Reason, StringComparison.Ordinal);
            Assert.Contains("put the deny for it at the top", results[0].Reason, StringComparison.Ordinal);
            Assert.Equal(DaclVerdicts.Pass, results[1].Verdict);
        }

        [Fact]
        public void ThePsnWalksOfOneCheckShareOneStepBudgetSoThreeUndecidedPsnsCostNoMoreThanOne()
        {
            // Three PSNs the long list never denies: each walk would spend a whole budget on its own, tripling the
            // time. They share the check's steps, and the PSN denied on top still gets a share and is decided.
            AclDocument document = AclParser.Parse(DaclWorkload.Generate(10000, 4), AclInputFormat.Auto, "-Content");
            var psns = new[] { "10.200.0.1", "10.200.0.2", "10.200.0.3", "10.1.0.1" }.Select(a => new PsnTarget(a, IPAddress.Parse(a))).ToArray();

            var results = DaclEvaluator.Check(document.Lists, psns, 8449, null)[0].Results;

            Assert.All(results.Take(3), r => Assert.Equal(DaclVerdicts.Unknown, r.Verdict));
            long spent = results.Take(3).Sum(r => long.Parse(System.Text.RegularExpressions.Regex.Match(r.Reason!, @"\(([\d,]+) steps\)").Groups[1].Value.Replace(",", string.Empty), CultureInfo.InvariantCulture));
            Assert.InRange(spent, DaclEvaluator.EvaluationSteps / 2, DaclEvaluator.EvaluationSteps);
            Assert.Equal(DaclVerdicts.Pass, results[3].Verdict);
        }

        [Fact]
        public void DetectRecognisesEachFormat()
        {
            Assert.Equal(AclInputFormat.AvPair, AclParser.Detect("Cisco-AVPair=\"ip:inacl#1=permit ip any any\""));
            Assert.Equal(AclInputFormat.ShowAccessList, AclParser.Detect("Standard IP access list 1\n 10 permit any"));
            Assert.Equal(AclInputFormat.ShowAccessList, AclParser.Detect("IPv6 access list V6\n permit ipv6 any any sequence 10"));
            Assert.Equal(AclInputFormat.Dacl, AclParser.Detect("permit ip any any"));
        }
    

        [Fact]
        public void AvPairWithALongBlankRunParsesInLinearTime()
        {
            // The av-pair pattern used to backtrack quadratically on blank runs: this line took minutes.
            string line = "cisco-av-pair = ip:inacl#1=deny tcp any any" + new string(' ', 4000) + "\"x";
            string text = string.Join("\n", Enumerable.Repeat(line, 400));

            var clock = Stopwatch.StartNew();
            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");
            clock.Stop();

            Assert.Equal(AclInputFormat.AvPair, document.Format);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "parsing took " + clock.Elapsed);
        }

        [Fact]
        public void MegabyteLineIsOneErrorNamingItsLength()
        {
            string text = new string('a', 1024 * 1024);

            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");

            AclSyntaxError error = Assert.Single(document.Errors);
            Assert.Equal(1, error.Line);
            Assert.Contains("1048576 characters", error.Token);
            AclLine line = Assert.Single(Assert.Single(document.Lists).Lines);
            Assert.Equal(AclLineKind.Invalid, line.Kind);
            Assert.True(line.Text.Length < 100);
        }

        [Fact]
        public void OverlongAvPairLineIsAnErrorAndTheOthersStillCount()
        {
            string text = "ip:inacl#1=deny tcp any host 10.1.1.1 eq 8449\nip:inacl#2=permit" + new string(' ', AclParser.MaxLineLength) + "ip any any";

            AclDocument document = AclParser.Parse(text, AclInputFormat.Auto, "-Content");

            Assert.Equal(AclInputFormat.AvPair, document.Format);
            Assert.Equal(2, Assert.Single(document.Errors).Line);
            Assert.Single(Assert.Single(document.Lists).Lines);
        }

        [Fact]
        public void BareCarriageReturnsEndLines()
        {
            AclDocument document = AclParser.Parse("deny tcp any host 10.1.1.1 eq 8449\rpermit ip any any\r", AclInputFormat.Auto, "-Content");

            Assert.Empty(document.Errors);
            Assert.Equal(new[] { 1, 2 }, Assert.Single(document.Lists).Lines.Select(l => l.LineNumber));
        }

        [Theory]
        [InlineData("Cisco:cisco-av-pair=ip:inacl#1=deny tcp any host 10.1.1.1 eq 8449")]
        [InlineData("cisco-avpair ip:inacl#1=deny tcp any host 10.1.1.1 eq 8449")]
        [InlineData("\"cisco-av-pair\" += \"ip:inacl#1=deny tcp any host 10.1.1.1 eq 8449\"")]
        public void AvPairsAsRadiusServersPrintThem(string line)
        {
            AclDocument document = AclParser.Parse(line, AclInputFormat.Auto, "-Content");

            Assert.Equal(AclInputFormat.AvPair, document.Format);
            Assert.Empty(document.Errors);
            Assert.Equal("deny tcp any host 10.1.1.1 eq 8449", Assert.Single(Assert.Single(document.Lists).Lines).Text);
        }
    }
}
