using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// Restarts the ISE posture agent so a state sync that switched itself off comes back (DOMAIN.md §1, §4).
    /// Windows: the agent's own service is stopped and started. macOS and Linux: the agent runs under the VPN agent,
    /// so vpnagentd is restarted with systemctl or launchctl, which drops any VPN tunnel.
    /// </summary>
    internal sealed class AgentRestarter
    {
        /// <summary>Windows service names, newest client first (upgrades can leave both).</summary>
        public static readonly IReadOnlyList<AgentPlace> WindowsServices = new[]
        {
            new AgentPlace(ClientFamily.SecureClient5, "csc_iseagent"),
            new AgentPlace(ClientFamily.AnyConnect4, "aciseagent"),
        };

        public const string LinuxVpnUnit = "vpnagentd";
        public const string MacSecureClientVpnLabel = "com.cisco.secureclient.vpnagentd";
        public const string MacAnyConnectVpnLabel = "com.cisco.anyconnect.vpnagentd";

        internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

        // Win32 answers that mean the service is already where we want it.
        private const int ErrorServiceAlreadyRunning = 1056;
        private const int ErrorServiceNotActive = 1062;

        // Win32 answers the restart handles on its own.
        private const int ErrorDependentServicesRunning = 1051;
        private const int ErrorServiceDisabled = 1058;
        private const int ErrorServiceCannotAcceptControl = 1061;

        private readonly IAgentHost host;

        public AgentRestarter(IAgentHost host)
        {
            this.host = host;
        }

        public static AgentRestarter ForCurrentSystem() => new AgentRestarter(SystemAgentHost.ForCurrentSystem());

        /// <summary>Finds the installed agent and how it would be restarted; touches nothing.</summary>
        /// <exception cref="PostureSyncException">AgentNotFound; AgentRestartFailed when systemctl or launchctl is not on PATH.</exception>
        public AgentRestartPlan FindAgent() => host.Os == OsPlatformKind.Windows ? FindWindowsAgent() : FindUnixAgent();

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

        /// <summary>Restarts the agent and waits until it runs again, all within the timeout.</summary>
        /// <exception cref="PostureSyncException">AgentNotFound, AgentRestartTimeout, AgentRestartFailed.</exception>
        /// <exception cref="OperationCanceledException">The cancellation token was cancelled.</exception>
        public AgentRestartResult Restart(AgentRestartPlan plan, TimeSpan timeout, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            DateTime deadline = host.UtcNow + timeout;
            return plan.Platform == OsPlatformKind.Windows
                ? RestartWindowsService(plan, timeout, deadline, cancellation)
                : RestartVpnAgent(plan, timeout, deadline, cancellation);
        }

        private AgentRestartPlan FindWindowsAgent()
        {
            foreach (AgentPlace service in WindowsServices)
            {
                if (host.QueryService(service.Path) != null)
                {
                    return new AgentRestartPlan(service.Path, service.Family, OsPlatformKind.Windows, $"Stop and start service {service.Path}", null, Array.Empty<string>(), service.Path, dropsVpnTunnel: false);
                }
            }

            throw NotFound(WindowsServices.Select(s => $"service {s.Path}"));
        }

        private AgentRestartPlan FindUnixAgent()
        {
            AgentPlace? daemon = host.Locations.AgentDaemons.FirstOrDefault(place => host.FileExists(place.Path));
            if (daemon is null)
            {
                throw NotFound(host.Locations.AgentDaemons.Select(place => place.Path));
            }

            string name = System.IO.Path.GetFileName(daemon.Path);
            string tool;
            string service;
            string[] arguments;
            if (host.Os == OsPlatformKind.MacOS)
            {
                tool = "launchctl";
                service = "system/" + (daemon.Family == ClientFamily.AnyConnect4 ? MacAnyConnectVpnLabel : MacSecureClientVpnLabel);
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

        private AgentRestartResult RestartWindowsService(AgentRestartPlan plan, TimeSpan timeout, DateTime deadline, CancellationToken cancellation)
        {
            string service = plan.ServiceName;
            ServiceSnapshot before = host.QueryService(service) ?? throw NotFound(new[] { $"service {service}" });
            if (host.IsServiceDisabled(service))
            {
                // Stopping it would leave it stopped: the service manager refuses to start a disabled service.
                throw Failed(plan, null, new ToolResult(ErrorServiceDisabled, "Nothing was changed."), $"service {service} is disabled, so it could not be started again after stopping (error {ErrorServiceDisabled})");
            }

            DateTime issued = host.UtcNow;
            if (before.Status != AgentStatus.Stopped)
            {
                StopWindowsService(plan, before, timeout, deadline, cancellation);
                WaitFor(AgentStatus.Stopped, () => QueryWindowsService(service), plan, timeout, deadline, "did not stop", cancellation);
            }

            ToolResult start = WithinDeadline(() => host.StartService(service), plan, timeout, deadline, "did not answer the start request", AgentStatus.Stopped, cancellation);
            if (start.ExitCode != 0 && start.ExitCode != ErrorServiceAlreadyRunning)
            {
                throw Failed(plan, "starting", start);
            }

            ServiceSnapshot after = WaitFor(AgentStatus.Running, () => QueryWindowsService(service), plan, timeout, deadline, "did not start again", cancellation, StoppedAgainWhileStarting);
            return Result(plan, before, after, issued);

            // The service manager accepted the start, so a service that is stopped again has failed to start.
            void StoppedAgainWhileStarting(ServiceSnapshot seen)
            {
                if (seen.Status == AgentStatus.Stopped)
                {
                    throw Failed(plan, null, new ToolResult(seen.ExitCode, "The System event log (source Service Control Manager) says why."), $"service {service} stopped again while starting, with exit code {seen.ExitCode}");
                }
            }
        }

        /// <summary>
        /// Sends the stop request. A service still starting (or pausing, continuing) cannot take it yet and says so
        /// with ERROR_SERVICE_CANNOT_ACCEPT_CTRL: ask again until it can or the time is up.
        /// </summary>
        private void StopWindowsService(AgentRestartPlan plan, ServiceSnapshot before, TimeSpan timeout, DateTime deadline, CancellationToken cancellation)
        {
            string service = plan.ServiceName;
            ServiceSnapshot seen = before;
            bool refused = false;
            while (seen.Status != AgentStatus.StopPending && seen.Status != AgentStatus.Stopped)
            {
                if (refused && Remaining(deadline) <= TimeSpan.Zero)
                {
                    throw TimedOut(plan, timeout, $"{service} did not accept the stop request", seen.Status);
                }

                ToolResult stop = WithinDeadline(() => host.StopService(service), plan, timeout, deadline, "did not answer the stop request", seen.Status, cancellation);
                if (stop.ExitCode == 0 || stop.ExitCode == ErrorServiceNotActive)
                {
                    return;
                }

                if (stop.ExitCode != ErrorServiceCannotAcceptControl)
                {
                    throw Failed(plan, "stopping", stop);
                }

                refused = true;
                TimeSpan remaining = Remaining(deadline);
                host.Pause(remaining < PollInterval ? remaining : PollInterval, cancellation);
                seen = QueryWindowsService(service);
            }
        }

        /// <summary>
        /// Runs a service-manager request on a worker thread: the service manager may hold a stop or start request for
        /// up to 30 s while a service is slow to answer, and that must not outlast -TimeoutSec or Ctrl+C. A request
        /// given up on is left with the service manager, which finishes it on its own.
        /// </summary>
        private ToolResult WithinDeadline(Func<ToolResult> request, AgentRestartPlan plan, TimeSpan timeout, DateTime deadline, string failing, string lastState, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            TimeSpan remaining = Remaining(deadline);
            if (remaining <= TimeSpan.Zero)
            {
                throw TimedOut(plan, timeout, $"{plan.ServiceName} {failing}", lastState);
            }

            Task<ToolResult> pending = Task.Run(request);
            try
            {
                if (pending.Wait((int)Math.Ceiling(Math.Min(remaining.TotalMilliseconds, int.MaxValue)), cancellation))
                {
                    return pending.Result;
                }
            }
            catch (AggregateException failure) when (failure.InnerExceptions.Count == 1)
            {
                ExceptionDispatchInfo.Capture(failure.InnerExceptions[0]).Throw();
            }

            throw TimedOut(plan, timeout, $"{plan.ServiceName} {failing}", lastState);
        }

        private ServiceSnapshot QueryWindowsService(string service) => host.QueryService(service) ?? new ServiceSnapshot(AgentStatus.NotLoaded, null);

        private AgentRestartResult RestartVpnAgent(AgentRestartPlan plan, TimeSpan timeout, DateTime deadline, CancellationToken cancellation)
        {
            ServiceSnapshot before = QueryVpnAgent(plan, deadline, cancellation);
            DateTime issued = host.UtcNow;
            ToolResult run = RunTool(plan, plan.Arguments, Remaining(deadline), cancellation);
            if (run.TimedOut)
            {
                throw TimedOut(plan, timeout, $"'{plan.Method}' had not finished and was stopped", before.Status);
            }

            if (run.ExitCode != 0)
            {
                throw Failed(plan, null, run);
            }

            ServiceSnapshot after = WaitFor(AgentStatus.Running, () => QueryVpnAgent(plan, deadline, cancellation), plan, timeout, deadline, "did not run again", cancellation);
            return Result(plan, before, after, issued);
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

        /// <summary>Asks systemd or launchd for the VPN agent's state; a query that fails or times out reads as Unknown.</summary>
        private ServiceSnapshot QueryVpnAgent(AgentRestartPlan plan, DateTime deadline, CancellationToken cancellation)
        {
            TimeSpan remaining = Remaining(deadline);
            if (remaining <= TimeSpan.Zero)
            {
                return new ServiceSnapshot(AgentStatus.Unknown, null);
            }

            if (plan.Platform == OsPlatformKind.MacOS)
            {
                ToolResult print = RunTool(plan, new[] { "print", plan.ServiceName }, remaining, cancellation);
                return print.TimedOut ? new ServiceSnapshot(AgentStatus.Unknown, null) : ServiceStatusOutput.ParseLaunchctlPrint(print);
            }

            ToolResult show = RunTool(plan, new[] { "show", plan.ServiceName, "--property=LoadState", "--property=ActiveState", "--property=MainPID" }, remaining, cancellation);
            return show.TimedOut || show.ExitCode != 0 ? new ServiceSnapshot(AgentStatus.Unknown, null) : ServiceStatusOutput.ParseSystemctlShow(show.Output);
        }

        private ServiceSnapshot WaitFor(string wanted, Func<ServiceSnapshot> query, AgentRestartPlan plan, TimeSpan timeout, DateTime deadline, string failing, CancellationToken cancellation, Action<ServiceSnapshot>? giveUpWhen = null)
        {
            ServiceSnapshot? seen = null;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                if (seen != null && Remaining(deadline) <= TimeSpan.Zero)
                {
                    // The last pause ran out the clock: report what was last seen, not a query with no time left.
                    throw TimedOut(plan, timeout, $"{plan.ServiceName} {failing}", seen.Status);
                }

                seen = query();
                if (seen.Status == wanted)
                {
                    return seen;
                }

                giveUpWhen?.Invoke(seen);

                TimeSpan remaining = Remaining(deadline);
                if (remaining <= TimeSpan.Zero)
                {
                    throw TimedOut(plan, timeout, $"{plan.ServiceName} {failing}", seen.Status);
                }

                host.Pause(remaining < PollInterval ? remaining : PollInterval, cancellation);
            }
        }

        private TimeSpan Remaining(DateTime deadline)
        {
            TimeSpan remaining = deadline - host.UtcNow;
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }

        private AgentRestartResult Result(AgentRestartPlan plan, ServiceSnapshot before, ServiceSnapshot after, DateTime issued) => new AgentRestartResult
        {
            Name = plan.Name,
            Platform = plan.Platform.ToString(),
            Method = plan.Method,
            StatusBefore = before.Status,
            StatusAfter = after.Status,
            ProcessIdBefore = before.ProcessId,
            ProcessIdAfter = after.ProcessId,
            RestartedAt = issued.ToLocalTime(),
            Duration = host.UtcNow - issued,
        };

        private static PostureSyncException NotFound(IEnumerable<string> searched) => new PostureSyncException(
            ErrorIds.AgentNotFound,
            FailureKind.ObjectNotFound,
            "No ISE posture agent is installed on this endpoint; looked for: " + string.Join(", ", searched) + ".",
            "posture agent")
        {
            RecommendedAction = "Install the Secure Client ISE Posture module, or run the command on an endpoint that has it.",
        };

        private static PostureSyncException TimedOut(AgentRestartPlan plan, TimeSpan timeout, string what, string lastState)
        {
            var failure = new PostureSyncException(
                ErrorIds.AgentRestartTimeout,
                FailureKind.OperationTimeout,
                // Invariant: a German or French session would otherwise read "2,5 s" in an English sentence.
                FormattableString.Invariant($"The posture agent {plan.Name} was not back within {timeout.TotalSeconds:0.###} s: {what}. Last state seen: {lastState}."),
                plan.Name)
            {
                RecommendedAction = "Check the service's state and logs; if it is only slow, run again with a larger -TimeoutSec.",
            };
            failure.Data["LastState"] = lastState;
            return failure;
        }

        private static PostureSyncException Failed(AgentRestartPlan plan, string? step, ToolResult result, string? what = null)
        {
            what ??= step is null ? $"'{plan.Method}' failed with exit code {result.ExitCode}" : $"{step} service {plan.ServiceName} failed with error {result.ExitCode}";
            string output = string.IsNullOrWhiteSpace(result.Output) ? "(no output)" : result.Output;
            var failure = new PostureSyncException(ErrorIds.AgentRestartFailed, FailureKind.ResourceUnavailable, $"Restarting the posture agent {plan.Name}: {what}: {output}", plan.Name)
            {
                RecommendedAction = plan.Platform != OsPlatformKind.Windows
                    ? $"Check the VPN agent with '{(plan.Platform == OsPlatformKind.MacOS ? "launchctl print " : "systemctl status ")}{plan.ServiceName}' and its log, then try again."
                    : result.ExitCode switch
                    {
                        ErrorDependentServicesRunning => $"Other running services depend on {plan.ServiceName} (Get-Service {plan.ServiceName} -DependentServices): stop them, restart the agent, then start them again.",
                        ErrorServiceDisabled => $"Set the service's startup type back (Set-Service {plan.ServiceName} -StartupType Automatic), then run the command again.",
                        _ => $"Check the service in services.msc and the System event log, then start {plan.ServiceName} again.",
                    },
            };
            failure.Data["ExitCode"] = result.ExitCode;
            failure.Data["Output"] = result.Output;
            return failure;
        }
    }
}
