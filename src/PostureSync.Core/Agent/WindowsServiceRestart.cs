using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// Windows: the posture agent is its own service (csc_iseagent or aciseagent), stopped and started through the
    /// service manager, waiting for each state with the deadline's clock. The VPN agent is not touched.
    /// </summary>
    internal sealed class WindowsServiceRestart : IAgentRestartStrategy
    {
        /// <summary>Windows service names, newest client first (upgrades can leave both).</summary>
        public static readonly IReadOnlyList<AgentPlace> Services = new[]
        {
            new AgentPlace(ClientFamilies.SecureClient5, "csc_iseagent"),
            new AgentPlace(ClientFamilies.AnyConnect4, "aciseagent"),
        };

        // Win32 answers that mean the service is already where we want it.
        private const int ErrorServiceAlreadyRunning = 1056;
        private const int ErrorServiceNotActive = 1062;

        // Win32 answers the restart handles on its own.
        private const int ErrorDependentServicesRunning = 1051;
        private const int ErrorServiceDisabled = 1058;
        private const int ErrorServiceCannotAcceptControl = 1061;

        private readonly IAgentHost host;

        public WindowsServiceRestart(IAgentHost host)
        {
            this.host = host;
        }

        public AgentRestartPlan FindAgent()
        {
            foreach (AgentPlace service in Services)
            {
                if (host.QueryService(service.Path) != null)
                {
                    return new AgentRestartPlan(service.Path, service.Family, OsPlatformKind.Windows, $"Stop and start service {service.Path}", null, Array.Empty<string>(), service.Path, dropsVpnTunnel: false);
                }
            }

            throw RestartFailures.NotFound(Services.Select(s => $"service {s.Path}"));
        }

        public AgentRestartResult Restart(AgentRestartPlan plan, RestartDeadline deadline, CancellationToken cancellation)
        {
            string service = plan.ServiceName;
            ServiceSnapshot before = host.QueryService(service) ?? throw RestartFailures.NotFound(new[] { $"service {service}" });
            if (host.IsServiceDisabled(service))
            {
                // Stopping it would leave it stopped: the service manager refuses to start a disabled service.
                throw Failed(plan, null, new ToolResult(ErrorServiceDisabled, "Nothing was changed."), $"service {service} is disabled, so it could not be started again after stopping (error {ErrorServiceDisabled})");
            }

            DateTime issued = host.UtcNow;
            if (before.Status != AgentStatuses.Stopped)
            {
                Stop(plan, before, deadline, cancellation);
                deadline.WaitFor(AgentStatuses.Stopped, () => Query(service), "did not stop", cancellation);
            }

            ToolResult start = WithinDeadline(() => host.StartService(service), plan, deadline, "did not answer the start request", AgentStatuses.Stopped, cancellation);
            if (start.ExitCode != 0 && start.ExitCode != ErrorServiceAlreadyRunning)
            {
                throw Failed(plan, "starting", start);
            }

            ServiceSnapshot after = deadline.WaitFor(AgentStatuses.Running, () => Query(service), "did not start again", cancellation, StoppedAgainWhileStarting);
            return deadline.Finished(before, after, issued);

            // The service manager accepted the start, so a service that is stopped again has failed to start.
            void StoppedAgainWhileStarting(ServiceSnapshot seen)
            {
                if (seen.Status == AgentStatuses.Stopped)
                {
                    throw Failed(plan, null, new ToolResult(seen.ExitCode, "The System event log (source Service Control Manager) says why."), $"service {service} stopped again while starting, with exit code {seen.ExitCode}");
                }
            }
        }

        /// <summary>
        /// Sends the stop request. A service still starting (or pausing, continuing) cannot take it yet and says so
        /// with ERROR_SERVICE_CANNOT_ACCEPT_CTRL: ask again until it can or the time is up.
        /// </summary>
        private void Stop(AgentRestartPlan plan, ServiceSnapshot before, RestartDeadline deadline, CancellationToken cancellation)
        {
            string service = plan.ServiceName;
            ServiceSnapshot seen = before;
            bool refused = false;
            while (seen.Status != AgentStatuses.StopPending && seen.Status != AgentStatuses.Stopped)
            {
                if (refused && deadline.Remaining <= TimeSpan.Zero)
                {
                    throw deadline.TimedOut($"{service} did not accept the stop request", seen.Status);
                }

                ToolResult stop = WithinDeadline(() => host.StopService(service), plan, deadline, "did not answer the stop request", seen.Status, cancellation);
                if (stop.ExitCode == 0 || stop.ExitCode == ErrorServiceNotActive)
                {
                    return;
                }

                if (stop.ExitCode != ErrorServiceCannotAcceptControl)
                {
                    throw Failed(plan, "stopping", stop);
                }

                refused = true;
                deadline.PauseBeforeNextCheck(cancellation);
                seen = Query(service);
            }
        }

        /// <summary>
        /// Runs a service-manager request on a worker thread: the service manager may hold a stop or start request for
        /// up to 30 s while a service is slow to answer, and that must not outlast -TimeoutSec or Ctrl+C. A request
        /// given up on is left with the service manager, which finishes it on its own.
        /// </summary>
        private static ToolResult WithinDeadline(Func<ToolResult> request, AgentRestartPlan plan, RestartDeadline deadline, string failing, string lastState, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            TimeSpan remaining = deadline.Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                throw deadline.TimedOut($"{plan.ServiceName} {failing}", lastState);
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

            throw deadline.TimedOut($"{plan.ServiceName} {failing}", lastState);
        }

        private ServiceSnapshot Query(string service) => host.QueryService(service) ?? new ServiceSnapshot(AgentStatuses.NotLoaded, null);

        private static PostureSyncException Failed(AgentRestartPlan plan, string? step, ToolResult result, string? what = null) => RestartFailures.Failed(
            plan,
            what ?? $"{step} service {plan.ServiceName} failed with error {result.ExitCode}",
            result,
            result.ExitCode switch
            {
                ErrorDependentServicesRunning => $"Other running services depend on {plan.ServiceName} (Get-Service {plan.ServiceName} -DependentServices): stop them, restart the agent, then start them again.",
                ErrorServiceDisabled => $"Set the service's startup type back (Set-Service {plan.ServiceName} -StartupType Automatic), then run the command again.",
                _ => $"Check the service in services.msc and the System event log, then start {plan.ServiceName} again.",
            });
    }
}
