using System;
using System.Threading;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// Restarts the ISE posture agent so a state sync that switched itself off comes back (DOMAIN.md §1, §4): checks
    /// the session may, then hands the platform's work to <see cref="WindowsServiceRestart"/> (the agent's own
    /// service) or <see cref="VpnAgentRestart"/> (vpnagentd through launchctl or systemctl, which drops any VPN tunnel).
    /// </summary>
    internal sealed class AgentRestarter
    {
        private readonly IAgentHost host;
        private readonly IAgentRestartStrategy strategy;

        public AgentRestarter(IAgentHost host)
        {
            this.host = host;
            strategy = host.Os == OsPlatformKind.Windows ? new WindowsServiceRestart(host) : new VpnAgentRestart(host);
        }

        public static AgentRestarter ForCurrentSystem() => new AgentRestarter(SystemAgentHost.ForCurrentSystem());

        /// <summary>Finds the installed agent and how it would be restarted; touches nothing.</summary>
        /// <exception cref="PostureSyncException">AgentNotFound; AgentRestartFailed when systemctl or launchctl is not on PATH.</exception>
        public AgentRestartPlan FindAgent() => strategy.FindAgent();

        /// <summary>Throws AgentRestartNeedsElevation unless the session may restart the agent.</summary>
        public void EnsureElevated(AgentRestartPlan plan)
        {
            if (host.IsElevated())
            {
                return;
            }

            bool windows = plan.Platform == OsPlatformKind.Windows;
            throw new PostureSyncException(
                ErrorIds.AgentRestartNeedsElevation,
                FailureKind.PermissionDenied,
                windows
                    ? $"Restarting the service {plan.ServiceName} needs an elevated session; nothing was changed."
                    : $"Restarting {plan.ServiceName} needs root; nothing was changed.",
                plan.Name)
            {
                RecommendedAction = windows
                    ? "Run PowerShell as an administrator (remote sessions of an administrator are elevated)."
                    : "Run PowerShell as root, e.g. sudo pwsh -Command Restart-PostureAgent.",
            };
        }

        /// <summary>Restarts the agent and makes sure it runs again, all within the timeout.</summary>
        /// <exception cref="PostureSyncException">AgentNotFound, AgentRestartTimeout, AgentRestartFailed.</exception>
        /// <exception cref="OperationCanceledException">The cancellation token was cancelled.</exception>
        public AgentRestartResult Restart(AgentRestartPlan plan, TimeSpan timeout, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            return strategy.Restart(plan, new RestartDeadline(host, plan, timeout), cancellation);
        }
    }
}
