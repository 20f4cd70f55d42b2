using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Threading;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// macOS and Linux: the posture agent runs under the VPN agent, so vpnagentd is restarted, with launchctl
    /// (macOS) or systemctl (Linux), which drops any VPN tunnel. The tool is the one found on PATH.
    /// </summary>
    internal sealed class VpnAgentRestart : IAgentRestartStrategy
    {
        /// <summary>The VPN agent's systemd unit, and the command name (/proc/&lt;pid&gt;/comm) of its process.</summary>
        public const string LinuxVpnUnit = "vpnagentd";
        public const string MacSecureClientVpnLabel = "com.cisco.secureclient.vpnagentd";
        public const string MacAnyConnectVpnLabel = "com.cisco.anyconnect.vpnagentd";

        private readonly IAgentHost host;

        public VpnAgentRestart(IAgentHost host)
        {
            this.host = host;
        }

        public AgentRestartPlan FindAgent()
        {
            AgentPlace? daemon = host.Locations.AgentDaemons.FirstOrDefault(place => host.FileExists(place.Path));
            if (daemon is null)
            {
                throw RestartFailures.NotFound(host.Locations.AgentDaemons.Select(place => place.Path));
            }

            string name = System.IO.Path.GetFileName(daemon.Path);
            string tool;
            string service;
            string[] arguments;
            if (host.Os == OsPlatformKind.MacOS)
            {
                tool = "launchctl";
                service = "system/" + (daemon.Family == ClientFamilies.AnyConnect4 ? MacAnyConnectVpnLabel : MacSecureClientVpnLabel);
                arguments = new[] { "kickstart", "-k", service };
            }
            else
            {
                tool = "systemctl";
                service = LinuxVpnUnit;
                arguments = new[] { "restart", service };
            }

            string method = tool + " " + string.Join(" ", arguments);
            string? toolPath = host.FindOnPath(tool);
            if (toolPath is null)
            {
                throw new PostureSyncException(ErrorIds.AgentRestartFailed, FailureKind.ResourceUnavailable, $"Cannot run '{method}': {tool} was not found on PATH.", name)
                {
                    RecommendedAction = $"Add the folder that holds {tool} to PATH (for example /bin or /usr/bin) and try again.",
                };
            }

            return new AgentRestartPlan(name, daemon.Family, host.Os, method, toolPath, arguments, service, dropsVpnTunnel: true);
        }

        public AgentRestartResult Restart(AgentRestartPlan plan, RestartDeadline deadline, CancellationToken cancellation)
        {
            bool mac = plan.Platform == OsPlatformKind.MacOS;
            ServiceSnapshot before = mac ? QueryLaunchd(plan, deadline, cancellation) : VpnAgentProcess();
            DateTime issued = host.UtcNow;
            ToolResult run = RunTool(plan, plan.Arguments, deadline.Remaining, cancellation);
            if (run.TimedOut)
            {
                throw deadline.TimedOut($"'{plan.Method}' had not finished and was stopped", before.Status);
            }

            if (run.ExitCode != 0)
            {
                throw RestartFailures.Failed(
                    plan,
                    $"'{plan.Method}' failed with exit code {run.ExitCode}",
                    run,
                    $"Check the VPN agent with '{(mac ? "launchctl print " : "systemctl status ")}{plan.ServiceName}' and its log, then try again.");
            }

            // launchctl kickstart returns once launchd has been asked, so launchd is asked until the agent runs again.
            // systemctl restart (without --no-block) waits for the restart job to finish and exits non-zero when the
            // unit fails to start, so its exit code is the proof and systemctl runs exactly once: the process ids come
            // from the process table, not from further systemctl queries.
            ServiceSnapshot after = mac
                ? deadline.WaitFor(AgentStatuses.Running, () => QueryLaunchd(plan, deadline, cancellation), "did not run again", cancellation)
                : new ServiceSnapshot(AgentStatuses.Running, host.FindProcess(LinuxVpnUnit));
            return deadline.Finished(before, after, issued);
        }

        /// <summary>vpnagentd as the Linux process table shows it: Running with its id, or Unknown when none is seen.</summary>
        private ServiceSnapshot VpnAgentProcess()
        {
            int? processId = host.FindProcess(LinuxVpnUnit);
            return processId is null ? new ServiceSnapshot(AgentStatuses.Unknown, null) : new ServiceSnapshot(AgentStatuses.Running, processId);
        }

        /// <summary>Asks launchd for the VPN agent's state; a query that fails or times out reads as Unknown.</summary>
        private ServiceSnapshot QueryLaunchd(AgentRestartPlan plan, RestartDeadline deadline, CancellationToken cancellation)
        {
            TimeSpan remaining = deadline.Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                return new ServiceSnapshot(AgentStatuses.Unknown, null);
            }

            ToolResult print = RunTool(plan, new[] { "print", plan.ServiceName }, remaining, cancellation);
            return print.TimedOut ? new ServiceSnapshot(AgentStatuses.Unknown, null) : ServiceStatusOutput.ParseLaunchctlPrint(print);
        }

        /// <summary>Runs systemctl or launchctl; one the system refuses to start (not executable, say) is AgentRestartFailed.</summary>
        private ToolResult RunTool(AgentRestartPlan plan, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellation)
        {
            try
            {
                return host.RunTool(plan.ToolPath!, arguments, timeout, cancellation);
            }
            catch (Win32Exception failure)
            {
                throw new PostureSyncException(ErrorIds.AgentRestartFailed, FailureKind.ResourceUnavailable, $"Cannot run {plan.ToolPath}: {failure.Message}", plan.Name, failure)
                {
                    RecommendedAction = $"Check that {plan.ToolPath} is the system's own tool and is executable, then try again.",
                };
            }
        }
    }
}
