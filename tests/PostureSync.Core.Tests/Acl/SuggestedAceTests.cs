using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using PostureSync.Core.Acl;
using PostureSync.Core.Config;
using PostureSync.Core.Health;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    /// <summary>Every ACE a finding suggests is one an admin can paste: the module's own parser reads it back.</summary>
    public class SuggestedAceTests
    {
        private static readonly Regex Quoted = new Regex("'((?:permit|deny) [^']+)'", RegexOptions.CultureInvariant);

        private static readonly PsnTarget[] Psns =
        {
            new PsnTarget("psn1.example.test", IPAddress.Parse("10.1.1.5")),
            new PsnTarget("psn1.example.test", IPAddress.Parse("10.1.1.6")),
            new PsnTarget("psn2.example.test", IPAddress.Parse("fd00::5")),
        };

        [Fact]
        public void TheHealthChecksSuggestOneParsableAcePerResolvedAddress()
        {
            AclList ipv4 = Parse("permit ip any any");
            AclList ipv6 = Parse("IPv6 access list V6\n permit ipv6 any any sequence 10");
            var dacl = DaclEvaluator.Evaluate(ipv4, Psns.Take(2).ToList(), 8449, null).Concat(DaclEvaluator.Evaluate(ipv6, Psns.Skip(2).ToList(), 8449, null)).ToList();
            var ports = Psns.Select(p => new PortTestResult { TargetName = p.Name, TargetAddress = p.Address.ToString(), Port = 8449, State = PortStates.Open, Verdict = "Fail" }).ToList();
            var evidence = new HealthEvidence
            {
                Endpoint = "pc1",
                Source = "bundle.zip",
                Profile = new PostureSyncConfig { StateSyncEnabled = true, StateSyncStatus = StateSyncStatuses.Enabled, NetworkTransitionDelay = 10, ProbeTargets = new[] { "psn1.example.test", "psn2.example.test" } },
                PostureStatusGiven = PostureStatus.Compliant,
                Ports = ports,
                Dacl = dacl,
            };

            HealthReport report = HealthEvaluator.Evaluate(evidence);
            List<string> aces = report.Findings.SelectMany(f => Quoted.Matches(f).Cast<Match>().Select(m => m.Groups[1].Value)).ToList();

            // Three from the ports, three from the dACL: one per address, never "host psn1.example.test (10.1.1.5)".
            // Per address: the port's fix, the dACL check's reason and its fix; never "host psn1.example.test (10.1.1.5)".
            Assert.True(aces.Count == 9, string.Join("\n", report.Findings));
            Assert.Equal(3, aces.Count(a => a == "deny tcp any host 10.1.1.5 eq 8449"));
            Assert.Equal(3, aces.Count(a => a == "deny tcp any host fd00::5 eq 8449"));
            AssertEachParses(aces);
        }

        [Fact]
        public void TheDaclCheckAndItsLinterSuggestParsableAces()
        {
            AclList list = Parse("permit tcp any any eq 8449\ndeny tcp any host 10.1.1.5 eq 8449\npermit ip any any");
            List<DaclTestResult> results = DaclEvaluator.Evaluate(list, Psns.Take(2).ToList(), 8449, null).ToList();
            IReadOnlyList<string> lint = AclLinter.Lint(Parse("permit ip any any"), Psns.Take(2).ToList(), 8449);

            List<string> aces = results.Select(r => r.Reason).Concat(lint)
                .SelectMany(text => Quoted.Matches(text).Cast<Match>().Select(m => m.Groups[1].Value))
                .Where(ace => ace.StartsWith("deny tcp any host", StringComparison.Ordinal))
                .ToList();

            Assert.Contains("deny tcp any host 10.1.1.6 eq 8449", aces);
            Assert.True(aces.Count >= 3, string.Join(" | ", aces));
            AssertEachParses(aces);
        }

        [Fact]
        public void TheOpenPortMessageSuggestsAParsableAce()
        {
            var result = new PortTestResult { TargetName = "psn2.example.test", TargetAddress = "fd00::5", Port = 8449, State = PortStates.Open };
            PostureJudgement.Judge(result, PostureStatus.Compliant, 2, null);

            Match ace = Regex.Match(result.Message, @"\((deny tcp any host [^ ]+ eq \d+) must come first\)");
            Assert.True(ace.Success, result.Message);
            AssertEachParses(new[] { ace.Groups[1].Value });
        }

        private static void AssertEachParses(IEnumerable<string> aces)
        {
            foreach (string ace in aces)
            {
                AclDocument parsed = AclParser.Parse(ace, AclInputFormat.Auto, "suggested");
                Assert.True(parsed.Errors.Count == 0, ace + ": " + string.Join("; ", parsed.Errors));
                AclLine line = Assert.Single(Assert.Single(parsed.Lists).Lines);
                Assert.Equal(false, line.IsPermit);
                Assert.Null(line.Unmodelled);
            }
        }

        private static AclList Parse(string text) => Assert.Single(AclParser.Parse(text, AclInputFormat.Auto, "test").Lists);
    }
}
