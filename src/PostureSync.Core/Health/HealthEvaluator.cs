using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PostureSync.Core.Acl;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;
using PostureSync.Core.Net;
using PostureSync.Core.Platform;
using PostureSync.Core.Probing;

namespace PostureSync.Core.Health
{
    /// <summary>What was gathered about one endpoint; null members were not checked (offline, or not asked for).</summary>
    internal sealed class HealthEvidence
    {
        public string Endpoint { get; set; } = string.Empty;

        public string Source { get; set; } = HealthSources.Live;

        public DateTime CheckedAt { get; set; }

        /// <summary>The profile the agent uses (see <see cref="ProfileChoice.Choose"/>); null when none was read.</summary>
        public PostureSyncConfig? Profile { get; set; }

        /// <summary>Other profiles found beside it (an upgrade leaves the AnyConnect 4 one behind); not judged.</summary>
        public IReadOnlyList<PostureSyncConfig> ProfilesSetAside { get; set; } = Array.Empty<PostureSyncConfig>();

        /// <summary>Why no profile could be read, when it could not.</summary>
        public string? ProfileProblem { get; set; }

        /// <summary>The posture status the user gave; null to take it from the log.</summary>
        public PostureStatus? PostureStatusGiven { get; set; }

        /// <summary>The agent log's state-sync events in file order; null when no log was available.</summary>
        public IReadOnlyList<DartSyncEvent>? Log { get; set; }

        /// <summary>Why no log could be read, when it could not.</summary>
        public string? LogProblem { get; set; }

        /// <summary>Port checks of the probe targets (live only).</summary>
        public IReadOnlyList<PortTestResult>? Ports { get; set; }

        /// <summary>dACL verdicts against the probe targets (only with a dACL).</summary>
        public IReadOnlyList<DaclTestResult>? Dacl { get; set; }

        /// <summary>Why the dACL could not be checked, when it could not.</summary>
        public string? DaclProblem { get; set; }
    }

    /// <summary>
    /// Folds the checks into one verdict, in the order of the tech note's troubleshooting walk (DOMAIN.md §7):
    /// profile, posture status, port, agent log, dACL.
    /// </summary>
    internal static class HealthEvaluator
    {
        public static HealthReport Evaluate(HealthEvidence evidence)
        {
            var verdict = new Tally();
            PostureStatus posture = DecidePosture(evidence, verdict);
            JudgeProfile(evidence, verdict);
            JudgePorts(evidence.Ports, posture, verdict);
            bool needsRestart = JudgeLog(evidence, verdict);
            JudgeDacl(evidence, verdict);

            // Without the agent's log (a bundle without it, or a live log that could not be read) nobody can tell whether
            // the agent switched sync off: not Healthy, but Unknown (LIVE-LOGS.md §5).
            bool logMissing = evidence.Log is null;
            string status = verdict.IsUnhealthy ? HealthStatuses.Unhealthy
                : verdict.IsDegraded ? HealthStatuses.Degraded
                : evidence.Profile is null || logMissing || verdict.Passed == 0 ? HealthStatuses.Unknown
                : HealthStatuses.Healthy;

            return new HealthReport
            {
                Endpoint = evidence.Endpoint,
                Source = evidence.Source,
                CheckedAt = evidence.CheckedAt,
                Status = status,
                PostureStatus = posture.ToString(),
                StateSyncEnabled = evidence.Profile?.StateSyncEnabled,
                ProbeTargets = evidence.Profile?.ProbeTargets ?? Array.Empty<string>(),
                ChecksPassed = verdict.Passed,
                ChecksFailed = verdict.Failed,
                NeedsAgentRestart = needsRestart,
                Findings = FindingSeverities.WorstFirst(verdict.Findings),
            };
        }

        /// <summary>
        /// The events since probing last started. A start is the first SyncProbeControl after a posture status, as in
        /// the tech note's walk-through (sendUIStatus, then PeriodicProbe::ProcessMessage) [inferred: the start and stop
        /// messages are not public, so start and stop are told apart by that order].
        /// </summary>
        public static IReadOnlyList<DartSyncEvent> SinceLastProbingStart(IReadOnlyList<DartSyncEvent> log)
        {
            int start = 0;
            bool statusSinceStart = false;
            for (int i = 0; i < log.Count; i++)
            {
                string type = log[i].EventType;
                if (type == DartSyncEventTypes.PostureStatus)
                {
                    statusSinceStart = true;
                }
                else if (type == DartSyncEventTypes.SyncProbeControl && statusSinceStart)
                {
                    start = i;
                    statusSinceStart = false;
                }
            }

            return log.Skip(start).ToList();
        }

        /// <summary>The posture status to judge by: the one given, else the last one the agent logged, else Unknown.</summary>
        public static PostureStatus DecidePosture(HealthEvidence evidence) =>
            evidence.PostureStatusGiven ?? LastLoggedStatus(evidence.Log)?.PostureStatusValue ?? PostureStatus.Unknown;

        private static DartSyncEvent? LastLoggedStatus(IReadOnlyList<DartSyncEvent>? log) =>
            log?.LastOrDefault(e => e.EventType == DartSyncEventTypes.PostureStatus && e.PostureStatusValue != null);

        private static PostureStatus DecidePosture(HealthEvidence evidence, Tally tally)
        {
            if (evidence.PostureStatusGiven is PostureStatus given)
            {
                return given;
            }

            DartSyncEvent? last = LastLoggedStatus(evidence.Log);
            if (last != null)
            {
                tally.Note("PostureStatus", "Information", $"posture status {last.PostureStatus} taken from the agent log ({Time(last)})", "pass -PostureStatus to judge against another status");
                return last.PostureStatusValue!.Value;
            }

            tally.Note("PostureStatus", "Information", "no posture status given and none found in the agent log, so Unknown is assumed", "pass -PostureStatus Compliant (or the endpoint's status) for a sharper verdict");
            return PostureStatus.Unknown;
        }

        private static void JudgeProfile(HealthEvidence evidence, Tally tally)
        {
            PostureSyncConfig? profile = evidence.Profile;
            if (profile is null)
            {
                tally.Fail("Profile", "Error", $"no posture profile could be read ({evidence.ProfileProblem ?? "none found"})", "collect a DART bundle or check that the ISE posture module is installed and has connected", degrades: false);
                return;
            }

            if (evidence.ProfileProblem != null)
            {
                tally.Fail("Profile", "Warning", $"a profile beside {profile.Path} could not be read ({evidence.ProfileProblem}); if it is the one the agent uses, this verdict is about the wrong profile", "check it with Get-PostureSyncConfig and have ISE push the profile again");
            }

            if (evidence.ProfilesSetAside.Count > 0)
            {
                string others = string.Join(", ", evidence.ProfilesSetAside.Select(p => $"{p.Path} ({p.ClientFamily})"));
                tally.Note("Profile", "Information", $"{evidence.ProfilesSetAside.Count + 1} profiles found; judged {profile.Path} ({profile.ClientFamily}), the one the agent uses (Secure Client 5 before AnyConnect 4, which an upgrade leaves behind); set aside {others}", "none; check the set-aside profile with Get-PostureSyncConfig if that client still runs");
            }

            if (profile.StateSyncEnabled)
            {
                tally.Pass();
            }
            else
            {
                string what = profile.StateSyncStatus == StateSyncStatuses.Invalid
                    ? $"StateSyncProbeInterval is invalid ('{(profile.Settings.TryGetValue("StateSyncProbeInterval", out string? raw) ? raw : "?")}'), so state sync does not run"
                    : "state sync is disabled in the profile (StateSyncProbeInterval missing or 0)";
                tally.Unhealthy("Profile", what, $"set 'Posture State Synchronization Interval' to {PostureSyncRule.ProbeIntervalRange} in the ISE posture profile");
            }

            if (PostureSyncRule.TransitionDelayIsEnough(profile.NetworkTransitionDelay))
            {
                tally.Pass();
            }
            else
            {
                string seen = profile.NetworkTransitionDelay is null ? "not set" : $"{profile.NetworkTransitionDelay} s";
                tally.Fail("Profile", "Warning", $"NetworkTransitionDelay is {seen}, below the {PostureSyncRule.MinNetworkTransitionDelaySec} s that avoids false alarms (CSCwd58316)", $"set 'Network transition delay' to {PostureSyncRule.MinNetworkTransitionDelaySec} in the ISE posture profile");
            }
        }

        private static void JudgePorts(IReadOnlyList<PortTestResult>? ports, PostureStatus posture, Tally tally)
        {
            if (ports is null)
            {
                return;
            }

            bool blockedExpected = PostureSyncRule.PortMustBeBlocked(posture);
            foreach (PortTestResult port in ports)
            {
                // "name (address):port" when the name is not the address: the parentheses already set an IPv6 address apart.
                string target = port.TargetAddress is null || port.TargetAddress == port.TargetName
                    ? EndpointText.Format(port.TargetName, port.Port)
                    : $"{port.TargetName} ({port.TargetAddress}):{port.Port}";
                if (port.Verdict == Verdicts.Pass)
                {
                    tally.Pass();
                }
                else if (blockedExpected && port.State == PortStates.Open)
                {
                    tally.Unhealthy("Port", $"{target} is reachable while {posture}; ISE raises 'Posture Configuration Detection' and the agent stops syncing", port.TargetAddress is null ? $"add a deny for TCP {port.Port} to each of its addresses at the top of the {posture} dACL" : $"add '{DaclAdvice.DenyAce(port.TargetAddress, port.Port)}' at the top of the {posture} dACL");
                }
                else if (port.State == PortStates.Unresolved || port.State == PortStates.Error)
                {
                    tally.Fail("Port", "Warning", $"{target} could not be tested ({port.State}: {port.Message})", "check the name and the endpoint's DNS");
                }
                else
                {
                    tally.Fail("Port", "Warning", $"{target} is {port.State} while {posture}; the agent cannot reach it to learn of posture changes", $"permit TCP {port.Port} to every PSN in the ACL applied while posture is {posture}");
                }
            }
        }

        private static bool JudgeLog(HealthEvidence evidence, Tally tally)
        {
            if (evidence.Log is null)
            {
                if (evidence.Source == HealthSources.Live)
                {
                    tally.Note("Log", "Warning", $"the agent's live log was not read ({evidence.LogProblem ?? "not available"}), so whether the agent switched state sync off cannot be told", "run the check elevated (root, or Administrator on Windows), or collect a DART bundle and pass it with -Path");
                }
                else
                {
                    tally.Note("Log", "Warning", $"the bundle holds no readable agent log ({evidence.LogProblem ?? "not available"}), so whether the agent switched state sync off cannot be told", "collect the DART bundle again after the posture module has run, so it includes AnyConnect_ISEPosture.txt");
                }

                return false;
            }

            IReadOnlyList<DartSyncEvent> window = SinceLastProbingStart(evidence.Log);
            DartSyncEvent? error = window.FirstOrDefault(e => e.EventType == DartSyncEventTypes.SyncProbeError);
            if (error != null)
            {
                tally.Unhealthy("Log", $"the agent logged a state-sync error at {Time(error)} ({Shorten(error.Message)}): it switched state sync off until it restarts", "fix the dACL first, then restart the agent (Restart-PostureAgent)");
                return true;
            }

            DartSyncEvent? earlier = evidence.Log.FirstOrDefault(e => e.EventType == DartSyncEventTypes.SyncProbeError);
            if (earlier != null)
            {
                tally.Note("Log", "Information", $"an earlier state-sync error at {Time(earlier)} was followed by a new probing start", "none: sync resumed");
            }

            bool probed = window.Any(e => e.EventType == DartSyncEventTypes.SyncProbe || e.EventType == DartSyncEventTypes.SyncProbeControl);
            if (!probed && evidence.Profile?.StateSyncEnabled == true)
            {
                tally.Fail("Log", "Warning", "the agent log shows no state-sync probing although the profile enables it", "check that the endpoint has finished posture assessment, and collect a newer DART bundle");
            }
            else
            {
                tally.Pass();
            }

            return false;
        }

        private static void JudgeDacl(HealthEvidence evidence, Tally tally)
        {
            if (evidence.DaclProblem != null)
            {
                tally.Fail("Dacl", "Warning", $"the dACL could not be checked for every probe target ({evidence.DaclProblem})", "run Test-ComplianceDacl on it to see each error");
            }

            if (evidence.Dacl is null)
            {
                return;
            }

            foreach (DaclTestResult result in evidence.Dacl)
            {
                string where = result.DecidingLine is null ? string.Empty : $" (line {result.DecidingLine})";
                string psn = EndpointText.Format(result.Psn, result.Port);
                switch (result.Verdict)
                {
                    case DaclVerdicts.Pass:
                        tally.Pass();
                        break;
                    case DaclVerdicts.Fail:
                        tally.Unhealthy("Dacl", $"{result.AclName} lets TCP reach {psn}{where}: {result.Reason}", string.IsNullOrEmpty(result.PsnAddress) ? "put a deny for the sync port to this PSN's address before any permit" : $"put '{DaclAdvice.DenyAce(result.PsnAddress!, result.Port)}' before any permit");
                        break;
                    case DaclVerdicts.Warn:
                        tally.Fail("Dacl", "Warning", $"{result.AclName} for {psn}: {result.Reason}", "add an explicit deny for the sync port at the top of the list");
                        break;
                    default:
                        tally.Fail("Dacl", "Warning", $"{result.AclName} for {psn} cannot be decided{where}: {result.Reason}", "fix the line or replace what cannot be evaluated, then check again");
                        break;
                }
            }
        }

        private static string Time(DartSyncEvent e) => e.TimeCreated.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        private static string Shorten(string message) => message.Length <= 120 ? message : message.Substring(0, 117) + "...";

        private sealed class Tally
        {
            public List<string> Findings { get; } = new List<string>();

            public int Passed { get; private set; }

            public int Failed { get; private set; }

            public bool IsUnhealthy { get; private set; }

            public bool IsDegraded { get; private set; }

            public void Pass() => Passed++;

            public void Note(string check, string severity, string what, string todo) => Findings.Add($"{check} {severity}: {what} -> {todo}");

            public void Fail(string check, string severity, string what, string todo, bool degrades = true)
            {
                Failed++;
                IsDegraded |= degrades;
                Note(check, severity, what, todo);
            }

            public void Unhealthy(string check, string what, string todo)
            {
                Failed++;
                IsUnhealthy = true;
                Note(check, "Error", what, todo);
            }
        }
    }
}
