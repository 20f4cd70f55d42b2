using System;
using System.Collections.Generic;
using System.Linq;
using PostureSync.Core.Acl;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;
using PostureSync.Core.Health;
using PostureSync.Core.Platform;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Health
{
    public sealed class HealthEvaluatorTests
    {
        private static readonly DateTime Start = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Unspecified);

        private static PostureSyncConfig Profile(bool enabled = true, int? delay = 10) => new PostureSyncConfig
        {
            Path = "ISEPostureCFG.xml",
            StateSyncEnabled = enabled,
            StateSyncStatus = enabled ? StateSyncStatuses.Enabled : StateSyncStatuses.Disabled,
            StateSyncProbeInterval = enabled ? 30 : 0,
            NetworkTransitionDelay = delay,
            ProbeTargets = new[] { "psn1.example.test", "psn2.example.test" },
        };

        private static DartSyncEvent Event(int minute, string type, string? status = null, string message = "m") =>
            new DartSyncEvent { TimeCreated = Start.AddMinutes(minute), EventType = type, PostureStatus = status, Message = message };

        private static PortTestResult Port(string target, string state, string verdict) => new PortTestResult
        {
            TargetName = target,
            TargetAddress = "127.0.0.1",
            Port = 8449,
            State = state,
            Verdict = verdict,
            Message = state,
        };

        private static HealthEvidence Evidence(PostureSyncConfig? profile = null, PostureStatus? posture = null, IReadOnlyList<DartSyncEvent>? log = null, IReadOnlyList<PortTestResult>? ports = null, IReadOnlyList<DaclTestResult>? dacl = null) => new HealthEvidence
        {
            Endpoint = "pc1",
            Source = "bundle.zip",
            CheckedAt = Start,
            Profile = profile,
            PostureStatusGiven = posture,
            Log = log,
            Ports = ports,
            Dacl = dacl,
        };

        private static readonly DartSyncEvent[] HealthyLog =
        {
            Event(0, DartSyncEventTypes.PostureStatus, "Compliant"),
            Event(0, DartSyncEventTypes.SyncProbeControl),
            Event(1, DartSyncEventTypes.SyncProbe),
        };

        [Fact]
        public void EverythingRightIsHealthy()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), log: HealthyLog, ports: new[] { Port("psn1", "Filtered", "Pass") }));

            Assert.Equal(HealthStatuses.Healthy, report.Status);
            Assert.Equal("Compliant", report.PostureStatus);
            Assert.False(report.NeedsAgentRestart);
            Assert.Equal(0, report.ChecksFailed);
            Assert.Equal(4, report.ChecksPassed);
            Assert.True(report.StateSyncEnabled);
            Assert.Equal(new[] { "psn1.example.test", "psn2.example.test" }, report.ProbeTargets);
        }

        [Fact]
        public void SyncDisabledInTheProfileIsUnhealthy()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(enabled: false)));

            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Profile Error: state sync is disabled", StringComparison.Ordinal) && f.Contains(" -> "));
        }

        [Fact]
        public void ShortTransitionDelayAloneIsDegraded()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(delay: 3), log: HealthyLog));

            Assert.Equal(HealthStatuses.Degraded, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Profile Warning: NetworkTransitionDelay is 3 s", StringComparison.Ordinal) && f.Contains("CSCwd58316"));
        }

        [Fact]
        public void ErrorSinceTheLastProbingStartNeedsARestart()
        {
            DartSyncEvent[] log = HealthyLog.Concat(new[]
            {
                Event(2, DartSyncEventTypes.SyncProbeError, message: "misconfiguration"),
                Event(2, DartSyncEventTypes.SyncProbeControl),
            }).ToArray();

            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), log: log));

            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.True(report.NeedsAgentRestart);
            Assert.Contains(report.Findings, f => f.StartsWith("Log Error:", StringComparison.Ordinal) && f.Contains("misconfiguration") && f.Contains("Restart-PostureAgent"));
        }

        [Fact]
        public void ErrorBeforeANewProbingStartIsHistory()
        {
            DartSyncEvent[] log = HealthyLog.Concat(new[]
            {
                Event(2, DartSyncEventTypes.SyncProbeError),
                Event(2, DartSyncEventTypes.SyncProbeControl),
                Event(9, DartSyncEventTypes.PostureStatus, "Compliant"),
                Event(9, DartSyncEventTypes.SyncProbeControl),
                Event(10, DartSyncEventTypes.SyncProbe),
            }).ToArray();

            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), log: log));

            Assert.Equal(HealthStatuses.Healthy, report.Status);
            Assert.False(report.NeedsAgentRestart);
            Assert.Contains(report.Findings, f => f.StartsWith("Log Information: an earlier state-sync error", StringComparison.Ordinal));
        }

        [Fact]
        public void PostureComesFromTheGivenValueThenTheLogThenUnknown()
        {
            Assert.Equal("Pending", HealthEvaluator.Evaluate(Evidence(Profile(), posture: PostureStatus.Pending, log: HealthyLog)).PostureStatus);
            Assert.Equal("Compliant", HealthEvaluator.Evaluate(Evidence(Profile(), log: HealthyLog)).PostureStatus);
            HealthReport none = HealthEvaluator.Evaluate(Evidence(Profile()));
            Assert.Equal("Unknown", none.PostureStatus);
            Assert.Contains(none.Findings, f => f.StartsWith("PostureStatus Information:", StringComparison.Ordinal));
        }

        [Fact]
        public void PortReachableWhileCompliantIsUnhealthy()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), posture: PostureStatus.Compliant, ports: new[] { Port("psn1", "Open", "Fail"), Port("psn2", "Filtered", "Pass") }));

            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Port Error: psn1 (127.0.0.1):8449 is reachable while Compliant", StringComparison.Ordinal) && f.Contains("deny tcp any host 127.0.0.1 eq 8449"));
        }

        [Fact]
        public void UnreachableTargetWhilePendingIsDegraded()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), posture: PostureStatus.Pending, ports: new[] { Port("psn1", "Filtered", "Fail") }));

            Assert.Equal(HealthStatuses.Degraded, report.Status);
            Assert.False(report.NeedsAgentRestart);
        }

        [Theory]
        [InlineData(DaclVerdicts.Pass, HealthStatuses.Healthy)]
        [InlineData(DaclVerdicts.Fail, HealthStatuses.Unhealthy)]
        [InlineData(DaclVerdicts.Warn, HealthStatuses.Degraded)]
        [InlineData(DaclVerdicts.Unknown, HealthStatuses.Degraded)]
        public void DaclVerdictsMapToStatus(string verdict, string status)
        {
            var dacl = new DaclTestResult { AclName = "dACL", Psn = "192.0.2.11", Port = 8449, Verdict = verdict, Reason = "why", DecidingLine = 2 };

            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), log: HealthyLog, dacl: new[] { dacl }));

            Assert.Equal(status, report.Status);
        }

        [Fact]
        public void NoProfileAndNothingElseIsUnknown()
        {
            HealthReport report = HealthEvaluator.Evaluate(new HealthEvidence { Endpoint = "pc1", ProfileProblem = "ConfigNotFound" });

            Assert.Equal(HealthStatuses.Unknown, report.Status);
            Assert.Null(report.StateSyncEnabled);
            Assert.Contains(report.Findings, f => f.StartsWith("Profile Error: no posture profile could be read (ConfigNotFound)", StringComparison.Ordinal));
        }

        [Fact]
        public void EnabledProfileWithoutAnyProbingInTheLogIsDegraded()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), log: new[] { Event(0, DartSyncEventTypes.PostureStatus, "Compliant") }));

            Assert.Equal(HealthStatuses.Degraded, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Log Warning: the agent log shows no state-sync probing", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(PostureStatus.Compliant)]
        [InlineData(PostureStatus.NonCompliant)]
        public void PortReachableWhilePostureIsKnownIsUnhealthy(PostureStatus posture)
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), posture: posture, log: HealthyLog, ports: new[] { Port("psn1", "Open", "Fail") }));

            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith($"Port Error: psn1 (127.0.0.1):8449 is reachable while {posture}", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(PostureStatus.Unknown, "Filtered")]
        [InlineData(PostureStatus.Unknown, "Closed")]
        [InlineData(PostureStatus.Pending, "Closed")]
        public void UnreachableTargetWhilePostureIsOpenIsDegraded(PostureStatus posture, string state)
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), posture: posture, log: HealthyLog, ports: new[] { Port("psn1", state, "Fail") }));

            Assert.Equal(HealthStatuses.Degraded, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith($"Port Warning: psn1 (127.0.0.1):8449 is {state} while {posture}", StringComparison.Ordinal));
        }

        [Fact]
        public void InvalidIntervalInTheProfileIsUnhealthy()
        {
            PostureSyncConfig profile = Profile(enabled: false);
            profile.StateSyncStatus = StateSyncStatuses.Invalid;
            profile.Settings["StateSyncProbeInterval"] = "thirty";

            HealthReport report = HealthEvaluator.Evaluate(Evidence(profile, log: HealthyLog));

            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Profile Error: StateSyncProbeInterval is invalid ('thirty')", StringComparison.Ordinal));
        }

        [Fact]
        public void MissingTransitionDelayIsDegraded()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(delay: null), log: HealthyLog));

            Assert.Equal(HealthStatuses.Degraded, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Profile Warning: NetworkTransitionDelay is not set", StringComparison.Ordinal));
        }

        [Fact]
        public void ErrorWithoutAnyProbingStartStillNeedsARestart()
        {
            HealthReport report = HealthEvaluator.Evaluate(Evidence(Profile(), log: new[] { Event(0, DartSyncEventTypes.SyncProbe), Event(1, DartSyncEventTypes.SyncProbeError) }));

            Assert.Equal(HealthStatuses.Unhealthy, report.Status);
            Assert.True(report.NeedsAgentRestart);
        }

        [Fact]
        public void BundleWithoutAnAgentLogIsUnknownNotHealthy()
        {
            HealthEvidence evidence = Evidence(Profile());
            evidence.LogProblem = "PostureLogNotFound: no log";

            HealthReport report = HealthEvaluator.Evaluate(evidence);

            Assert.Equal(HealthStatuses.Unknown, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Log Warning: the bundle holds no readable agent log (PostureLogNotFound: no log)", StringComparison.Ordinal));
        }

        [Fact]
        public void LiveCheckWithoutTheLogIsUnknownNotHealthy()
        {
            HealthEvidence evidence = Evidence(Profile(), posture: PostureStatus.Compliant, ports: new[] { Port("psn1", "Filtered", "Pass") });
            evidence.Source = HealthSources.Live;

            HealthReport report = HealthEvaluator.Evaluate(evidence);

            // Profile and port pass, but without the agent's log a switch-off cannot be ruled out (LIVE-LOGS.md §5).
            Assert.Equal(HealthStatuses.Unknown, report.Status);
            Assert.Equal(0, report.ChecksFailed);
            Assert.Contains(report.Findings, f => f.StartsWith("Log Warning: the agent's live log was not read", StringComparison.Ordinal) && f.Contains("-Path") && f.Contains("elevated"));
        }

        [Fact]
        public void SecureClient5ProfileIsChosenOverTheAnyConnect4OneAnUpgradeLeftBehind()
        {
            PostureSyncConfig anyConnect = Profile(enabled: false);
            anyConnect.Path = "dart.zip!/Cisco AnyConnect Secure Mobility Client/ISE Posture/ISEPostureCFG.xml";
            anyConnect.ClientFamily = ClientFamilies.AnyConnect4;
            anyConnect.LastWriteTime = Start.AddDays(1);
            PostureSyncConfig unknown = Profile(enabled: false);
            unknown.Path = "dart.zip!/copy/ISEPostureCFG.xml";
            PostureSyncConfig secureClient = Profile();
            secureClient.Path = "dart.zip!/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml";
            secureClient.ClientFamily = ClientFamilies.SecureClient5;
            secureClient.LastWriteTime = Start;

            PostureSyncConfig? chosen = ProfileChoice.Choose(new[] { anyConnect, unknown, secureClient }, out IReadOnlyList<PostureSyncConfig> setAside);
            Assert.Same(secureClient, chosen);
            Assert.Equal(new[] { unknown, anyConnect }, setAside);
            Assert.Same(unknown, ProfileChoice.Choose(new[] { anyConnect, unknown }, out _));

            HealthEvidence evidence = Evidence(chosen, log: HealthyLog);
            evidence.ProfilesSetAside = setAside;
            HealthReport report = HealthEvaluator.Evaluate(evidence);
            Assert.Equal(HealthStatuses.Healthy, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Profile Information: 3 profiles found; judged dart.zip!/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml (SecureClient5)", StringComparison.Ordinal));
        }

        [Fact]
        public void AProfileThatCouldNotBeReadBesideTheJudgedOneDegrades()
        {
            HealthEvidence evidence = Evidence(Profile(), log: HealthyLog);
            evidence.ProfileProblem = "ConfigXmlInvalid: broken";

            HealthReport report = HealthEvaluator.Evaluate(evidence);

            Assert.Equal(HealthStatuses.Degraded, report.Status);
            Assert.Contains(report.Findings, f => f.StartsWith("Profile Warning: a profile beside ISEPostureCFG.xml could not be read (ConfigXmlInvalid: broken)", StringComparison.Ordinal));
        }

        [Fact]
        public void EveryFindingReadsCheckSeverityWhatAndWhatToDo()
        {
            var format = new System.Text.RegularExpressions.Regex(@"^(Profile|PostureStatus|Port|Log|Dacl) (Error|Warning|Information): .+ -> .+$");
            var dacl = new[]
            {
                new DaclTestResult { AclName = "a", Psn = "192.0.2.11", Port = 8449, Verdict = DaclVerdicts.Fail, Reason = "r", DecidingLine = 1 },
                new DaclTestResult { AclName = "a", Psn = "192.0.2.12", Port = 8449, Verdict = DaclVerdicts.Warn, Reason = "r" },
                new DaclTestResult { AclName = "a", Psn = "192.0.2.13", Port = 8449, Verdict = DaclVerdicts.Unknown, Reason = "r" },
            };
            var log = new[] { Event(0, DartSyncEventTypes.SyncProbeError), Event(1, DartSyncEventTypes.PostureStatus, "Compliant"), Event(1, DartSyncEventTypes.SyncProbeControl), Event(2, DartSyncEventTypes.SyncProbeError) };
            var ports = new[] { Port("psn1", "Open", "Fail"), Port("psn2", "Unresolved", "Fail"), Port("psn3", "Closed", "Fail") };
            HealthEvidence everything = Evidence(Profile(enabled: false, delay: 3), log: log, ports: ports, dacl: dacl);
            everything.DaclProblem = "psn4 unresolved";
            HealthEvidence nothing = new HealthEvidence { Endpoint = "pc1", Source = "b.zip" };

            foreach (HealthEvidence evidence in new[] { everything, nothing, Evidence(Profile(), log: HealthyLog.Take(1).ToArray()) })
            {
                HealthReport report = HealthEvaluator.Evaluate(evidence);
                Assert.NotEmpty(report.Findings);
                Assert.All(report.Findings, f => Assert.Matches(format, f));
            }
        }
    }
}
