using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using PostureSync.Core.Acl;
using PostureSync.Core.Net;
using Xunit;

namespace PostureSync.Core.Tests.Acl
{
    public sealed class ComplianceDaclCheckTests
    {
        private static readonly string GoodDacl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "compliant-good.txt"));
        private static readonly string BadDacl = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "compliant-bad.txt"));

        private static readonly HostsFileResolver Names = new HostsFileResolver(new[]
        {
            new KeyValuePair<string, IPAddress>("psn1.example.test", IPAddress.Parse("192.0.2.11")),
            new KeyValuePair<string, IPAddress>("psn2.example.test", IPAddress.Parse("192.0.2.12")),
        });

        private static ComplianceDaclOutcome Run(RecordingReporter reporter, IEnumerable<DaclInput> inputs, string[]? psns = null, string[]? aclNames = null, string? endpoint = null) =>
            new ComplianceDaclCheck(
                new ComplianceDaclRequest { PsnEntries = psns ?? new[] { "psn1.example.test", "psn2.example.test" }, AclNames = aclNames, EndpointAddress = endpoint },
                Names,
                reporter).Run(inputs);

        [Fact]
        public void ADaclThatDeniesEveryPsnFirstPassesForEach()
        {
            var reporter = new RecordingReporter();
            ComplianceDaclOutcome outcome = Run(reporter, new[] { DaclInput.FromText("-Content", GoodDacl) });

            Assert.Equal(new[] { "psn1.example.test", "psn2.example.test" }, outcome.Results.Select(r => r.Psn.Split(' ')[0]));
            Assert.All(outcome.Results, r => Assert.Equal(DaclVerdicts.Pass, r.Verdict));
            Assert.True(outcome.Complete);
            Assert.True(outcome.AllPass);
            Assert.Empty(reporter.Failures);
            Assert.Contains(reporter.VerboseMessages, m => m == "PSN psn1.example.test -> 192.0.2.11");
        }

        [Fact]
        public void ABroadPermitBeforeTheDenyFailsWithACounterExampleAndAWarning()
        {
            var reporter = new RecordingReporter();
            ComplianceDaclOutcome outcome = Run(reporter, new[] { DaclInput.FromText("-Content", BadDacl) });

            DaclTestResult psn1 = outcome.Results.First(r => r.Psn.StartsWith("psn1", StringComparison.Ordinal));
            Assert.Equal(DaclVerdicts.Fail, psn1.Verdict);
            Assert.Equal(2, psn1.DecidingLine);
            Assert.NotNull(psn1.CounterExample);
            Assert.False(outcome.AllPass);
            Assert.True(outcome.Complete);
            Assert.NotEmpty(reporter.Warnings);
        }

        [Fact]
        public void AnUnreadableFileAndAnUnknownListAreReportedAndMakeTheCheckIncomplete()
        {
            var reporter = new RecordingReporter();
            string missing = Path.Combine(Path.GetTempPath(), "posturesync-" + Guid.NewGuid().ToString("N") + ".txt");
            ComplianceDaclOutcome outcome = Run(reporter, new[] { DaclInput.FromFile(missing), DaclInput.FromText("-Content", GoodDacl) }, aclNames: new[] { "NO-SUCH-LIST" });

            Assert.Empty(outcome.Results);
            Assert.False(outcome.Complete);
            Assert.False(outcome.AllPass);
            Assert.Equal(new[] { ErrorIds.DaclReadFailed, ErrorIds.DaclListNotFound }, reporter.Failures.Select(f => f.ErrorId));
            Assert.Equal(missing, reporter.Failures[0].Target);
        }

        [Fact]
        public void APsnThatDoesNotResolveIsReportedAndTheOthersAreStillChecked()
        {
            var reporter = new RecordingReporter();
            ComplianceDaclOutcome outcome = Run(reporter, new[] { DaclInput.FromText("-Content", GoodDacl) }, psns: new[] { "psn1.example.test", "psn9.example.test" });

            Assert.Equal(ErrorIds.PsnNameUnresolved, Assert.Single(reporter.Failures).ErrorId);
            Assert.Equal(DaclVerdicts.Pass, Assert.Single(outcome.Results).Verdict);
            Assert.False(outcome.Complete);
            Assert.False(outcome.AllPass, "-Quiet may not say every PSN is blocked when one was not checked");
        }

        [Fact]
        public void SyntaxErrorsAreReportedPerLineWithWhatToDo()
        {
            var reporter = new RecordingReporter();
            Run(reporter, new[] { DaclInput.FromText("-Content", "deny tcp any host 192.0.2.11 eq 8449\npermit tcp any hots 192.0.2.12\npermit ip any any") });

            PostureSyncException error = Assert.Single(reporter.Failures);
            Assert.Equal(ErrorIds.DaclSyntaxError, error.ErrorId);
            Assert.Equal(FailureKind.InvalidData, error.Kind);
            Assert.False(string.IsNullOrEmpty(error.RecommendedAction));
        }

        [Fact]
        public void NoPsnOrABadEndpointStopsTheCheckBeforeAnythingIsRead()
        {
            string missing = Path.Combine(Path.GetTempPath(), "posturesync-" + Guid.NewGuid().ToString("N") + ".txt");
            var reporter = new RecordingReporter();

            PostureSyncException noPsn = Assert.Throws<PostureSyncException>(() => Run(reporter, new[] { DaclInput.FromFile(missing) }, psns: Array.Empty<string>()));
            PostureSyncException badEndpoint = Assert.Throws<PostureSyncException>(() => Run(reporter, new[] { DaclInput.FromFile(missing) }, endpoint: "10.0.0.300"));

            Assert.Equal(ErrorIds.PsnAddressMissing, noPsn.ErrorId);
            Assert.Equal(ErrorIds.EndpointAddressInvalid, badEndpoint.ErrorId);
            Assert.Empty(reporter.Failures);
        }

        [Fact]
        public void FindingsBeyondTheCapStayInTheResultsAndOneWarningCountsThem()
        {
            // Every deny after the permit is shadowed by it and has the other action, so each draws a warning.
            IEnumerable<string> shadowed = Enumerable.Range(0, ComplianceDaclCheck.MaxWarningsPerList + 5).Select(_ => "deny tcp any host 192.0.2.11 eq 8449");
            string text = string.Join("\n", new[] { "permit tcp any host 192.0.2.11 eq 8449" }.Concat(shadowed).Concat(new[] { "permit ip any any" }));
            var reporter = new RecordingReporter();

            ComplianceDaclOutcome outcome = Run(reporter, new[] { DaclInput.FromText("-Content", text) }, psns: new[] { "psn1.example.test" });

            int findings = Assert.Single(outcome.Results).Findings.Length;
            Assert.True(findings > ComplianceDaclCheck.MaxWarningsPerList, $"{findings} findings");
            Assert.Equal(ComplianceDaclCheck.MaxWarningsPerList + 1, reporter.Warnings.Count);
            Assert.EndsWith($"{findings - ComplianceDaclCheck.MaxWarningsPerList} more findings: see the Findings property.", reporter.Warnings.Last());
        }

        [Fact]
        public void InformationFindingsGoToVerboseAndQuietSendsEveryFindingThere()
        {
            // Line 3 repeats line 2 (same action): Information. Line 4 is shadowed by the permit above: Warning.
            string text = "deny tcp any host 192.0.2.11 eq 8449\ndeny tcp any host 192.0.2.11 eq 8449\npermit tcp any any\ndeny tcp any host 192.0.2.12 eq 8449";
            var loud = new RecordingReporter();
            ComplianceDaclOutcome outcome = Run(loud, new[] { DaclInput.FromText("-Content", text) }, psns: new[] { "192.0.2.11" });

            string[] findings = outcome.Results[0].Findings;
            Assert.Contains(findings, f => f.StartsWith("ACL001 Information: line 2 ", StringComparison.Ordinal));
            Assert.Equal("Warning", findings[0].Split(' ')[1].TrimEnd(':'));
            Assert.All(loud.Warnings, w => Assert.DoesNotContain(" Information: ", w));
            Assert.Contains(loud.VerboseMessages, v => v.Contains("ACL001 Information: line 2 "));

            var quiet = new RecordingReporter();
            new ComplianceDaclCheck(new ComplianceDaclRequest { PsnEntries = new[] { "192.0.2.11" }, Quiet = true }, Names, quiet).Run(new[] { DaclInput.FromText("-Content", text) });
            Assert.Empty(quiet.Warnings);
            Assert.Equal(findings.Length, quiet.VerboseMessages.Count(v => v.Contains(": ACL0")));
        }

        [Theory]
        [InlineData("<?xml version=\"1.0\"?>\n<cfg xmlns=\"http://www.cisco.com/nac/agent/config-1.0\"/>", "XML document")]
        [InlineData("2026/11/20 09:15:10 [Information] aciseagent Function: f :: probe fe80::1 port 8449", "posture agent log")]
        [InlineData("\uFFFDPNG\r\n\u001a\n", "PNG image")]
        public void TextThatIsPlainlySomethingElseIsOneDaclNotAclTextAndNoVerdict(string text, string looksLike)
        {
            var reporter = new RecordingReporter();
            ComplianceDaclOutcome outcome = Run(reporter, new[] { DaclInput.FromText("-Content", text) });

            Assert.Empty(outcome.Results);
            PostureSyncException failure = Assert.Single(reporter.Failures);
            Assert.Equal(ErrorIds.DaclNotAclText, failure.ErrorId);
            Assert.Contains(looksLike, failure.Message);
            Assert.False(outcome.Complete);
        }
    }
}
