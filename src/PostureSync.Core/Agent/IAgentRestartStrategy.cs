using System.Threading;

namespace PostureSync.Core.Agent
{
    /// <summary>How one kind of platform finds and restarts the posture agent (the Windows service, or the VPN agent).</summary>
    internal interface IAgentRestartStrategy
    {
        /// <summary>Finds the installed agent and how it would be restarted; touches nothing.</summary>
        /// <exception cref="PostureSyncException">AgentNotFound, or AgentRestartFailed when the tool needed is missing.</exception>
        AgentRestartPlan FindAgent();

        /// <summary>Restarts the agent a plan names and says how it went, all by the deadline.</summary>
        /// <exception cref="PostureSyncException">AgentNotFound, AgentRestartTimeout, AgentRestartFailed.</exception>
        /// <exception cref="System.OperationCanceledException">The cancellation token was cancelled.</exception>
        AgentRestartResult Restart(AgentRestartPlan plan, RestartDeadline deadline, CancellationToken cancellation);
    }
}
