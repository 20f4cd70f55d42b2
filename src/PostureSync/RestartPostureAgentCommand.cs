using System;
using System.Globalization;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Agent;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>
    /// Restarts the ISE posture agent so Posture State Synchronization, which the agent switches off when it reaches
    /// the sync port while Compliant, comes back. Restarts at most once per pipeline, at the end. Piped input counts
    /// only when it is this endpoint's live report: a bundle's report, a CSV row or a remote result would otherwise
    /// restart this machine's agent (and drop its VPN tunnel) for another machine's problem.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Restart, "PostureAgent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AgentRestartResult))]
    public sealed class RestartPostureAgentCommand : PostureSyncCmdlet
    {
        private int received;
        private int needingRestart;

        /// <summary>Bound by property name from Test-PostureSyncHealth (or any object with this property, "True"/"False" from a CSV too).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BoolFromText]
        public bool NeedsAgentRestart { get; set; } = true;

        /// <summary>Bound by property name from a report: "Live" for a live check, the bundle's path for an offline one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Source { get; set; }

        /// <summary>Bound by property name from a report: the computer (or bundle) it describes.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Endpoint { get; set; }

        /// <summary>Bound from the note Invoke-Command adds to each remote result: the computer it came from.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PSComputerName { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [ValidateRange(PostureSyncRule.MinToolTimeoutSec, PostureSyncRule.MaxTimeoutSec)]
        public double TimeoutSec { get; set; } = 60;

        protected override void ProcessRecord()
        {
            if (!MyInvocation.ExpectingInput)
            {
                return;
            }

            received++;
            if (!NeedsAgentRestart)
            {
                return;
            }

            PostureSyncException? elsewhere = RestartTarget.Refusal(Source, Endpoint, PSComputerName, Environment.MachineName);
            if (elsewhere != null)
            {
                WriteFailure(elsewhere);
                return;
            }

            needingRestart++;
        }

        protected override void EndProcessing()
        {
            if (MyInvocation.ExpectingInput && needingRestart == 0)
            {
                WriteVerbose(received == 0
                    ? "No input arrived, so the posture agent was not restarted."
                    : $"None of the {received} input object(s) is a live report of this endpoint with NeedsAgentRestart set, so the posture agent was not restarted.");
                return;
            }

            if (!MyInvocation.ExpectingInput && !NeedsAgentRestart)
            {
                WriteVerbose("-NeedsAgentRestart is $false, so the posture agent was not restarted.");
                return;
            }

            if (needingRestart > 0)
            {
                WriteVerbose($"{needingRestart} of {received} input object(s) need an agent restart; restarting once.");
            }

            var restarter = AgentRestarter.ForCurrentSystem();
            AgentRestartPlan plan;
            try
            {
                plan = restarter.FindAgent();
                WriteVerbose($"Found the posture agent {plan.Name} ({plan.Family}); the restart is: {plan.Method}.");
                restarter.EnsureElevated(plan);
            }
            catch (PostureSyncException ex)
            {
                WriteFailure(ex);
                return;
            }

            if (!Confirmed(plan))
            {
                return;
            }

            try
            {
                WriteVerbose($"Restarting: {plan.Method} (at most {TimeoutSec.ToString(CultureInfo.InvariantCulture)} s).");
                AgentRestartResult result = restarter.Restart(plan, TimeSpan.FromSeconds(TimeoutSec), Cancellation);
                // Invariant, so a German session does not read "2,5 s" in an English sentence.
                WriteVerbose(FormattableString.Invariant($"{plan.Name} runs again (was {result.StatusBefore}, PID {result.ProcessIdBefore?.ToString() ?? "none"}; now PID {result.ProcessIdAfter?.ToString() ?? "unknown"}) after {result.Duration.TotalSeconds:0.0} s."));
                if (PassThru)
                {
                    WriteObject(result);
                }
            }
            catch (PostureSyncException ex)
            {
                WriteFailure(ex);
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// ShouldProcess, and on macOS and Linux a ShouldContinue about the VPN tunnel. Only a session that can answer
        /// is asked, unless the user asked for it with -Confirm: a remote session, a job or a -NonInteractive host
        /// (scheduled tasks) would otherwise hang or fail on the prompt. -Force skips both prompts unless -Confirm
        /// is given. -WhatIf always reports and changes nothing.
        /// </summary>
        private bool Confirmed(AgentRestartPlan plan)
        {
            bool confirmAsked = ConfirmRequested();
            bool canPrompt = SessionCanPrompt();
            string caption = "Restart the ISE posture agent";
            string warning = plan.DropsVpnTunnel
                ? $"Restart the posture agent {plan.Name} by running '{plan.Method}'? This also restarts the VPN agent and DROPS any VPN tunnel on this endpoint."
                : $"Restart the posture agent service {plan.Name} ({plan.Method})?";

            if (confirmAsked || (canPrompt && !Force))
            {
                if (!ShouldProcess(plan.Description, warning, caption))
                {
                    return false;
                }
            }
            else if (WhatIfRequested())
            {
                ShouldProcess(plan.Description, warning, caption); // prints "What if:" and returns false
                return false;
            }

            if (plan.DropsVpnTunnel && !Force && (canPrompt || confirmAsked))
            {
                return ShouldContinue(
                    $"'{plan.Method}' drops any VPN tunnel on this endpoint, including a session that reaches it through the tunnel. Continue?",
                    "The VPN tunnel will drop");
            }

            return true;
        }

        /// <summary>
        /// -Confirm on this command, or on a calling advanced function, which hands it down as $ConfirmPreference Low.
        /// The default preference (High) is not a request: it would make every High-impact command prompt.
        /// </summary>
        private bool ConfirmRequested()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out object? confirm))
            {
                return ((SwitchParameter)confirm).IsPresent;
            }

            object? preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            return LanguagePrimitives.TryConvertTo(preference, out ConfirmImpact impact) && impact != ConfirmImpact.None && impact < ConfirmImpact.High;
        }

        private bool WhatIfRequested()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf))
            {
                return ((SwitchParameter)whatIf).IsPresent;
            }

            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        /// <summary>False in remote sessions and jobs (ServerRemoteHost), in a -NonInteractive host and outside a user session.</summary>
        private bool SessionCanPrompt()
        {
            if (string.Equals(Host.Name, "ServerRemoteHost", StringComparison.OrdinalIgnoreCase) || !Environment.UserInteractive)
            {
                return false;
            }

            string[] arguments = Environment.GetCommandLineArgs();
            for (int i = 1; i < arguments.Length; i++)
            {
                string argument = arguments[i].TrimStart('-', '/').ToLowerInvariant();
                if (argument.Length >= 4 && "noninteractive".StartsWith(argument, StringComparison.Ordinal))
                {
                    return false;
                }

                // What follows -Command or -File belongs to the script, not to the host.
                if (argument is "c" or "command" or "f" or "file" or "e" or "ec" or "encodedcommand")
                {
                    break;
                }
            }

            return true;
        }
    }
}
