using System;
using System.Threading;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// The clock of one restart: every request, tool run and state check ends by the deadline -TimeoutSec sets, and a
    /// restart that is not done by then is AgentRestartTimeout, naming the last state seen.
    /// </summary>
    internal sealed class RestartDeadline
    {
        /// <summary>How often a state is checked while waiting for it.</summary>
        internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

        private readonly IAgentHost host;
        private readonly AgentRestartPlan plan;
        private readonly DateTime at;

        public RestartDeadline(IAgentHost host, AgentRestartPlan plan, TimeSpan timeout)
        {
            this.host = host;
            this.plan = plan;
            Timeout = timeout;
            at = host.UtcNow + timeout;
        }

        public TimeSpan Timeout { get; }

        /// <summary>The time left, never negative.</summary>
        public TimeSpan Remaining
        {
            get
            {
                TimeSpan remaining = at - host.UtcNow;
                return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
            }
        }

        /// <summary>Waits one poll interval, or what is left of the time when that is less.</summary>
        public void PauseBeforeNextCheck(CancellationToken cancellation)
        {
            TimeSpan remaining = Remaining;
            host.Pause(remaining < PollInterval ? remaining : PollInterval, cancellation);
        }

        /// <summary>
        /// Checks the state until it is <paramref name="wanted"/>; <paramref name="giveUpWhen"/> may throw on a state that
        /// will not come right. Out of time, it is AgentRestartTimeout saying "{service} {failing}".
        /// </summary>
        public ServiceSnapshot WaitFor(string wanted, Func<ServiceSnapshot> query, string failing, CancellationToken cancellation, Action<ServiceSnapshot>? giveUpWhen = null)
        {
            ServiceSnapshot? seen = null;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                if (seen != null && Remaining <= TimeSpan.Zero)
                {
                    // The last pause ran out the clock: report what was last seen, not a query with no time left.
                    throw TimedOut($"{plan.ServiceName} {failing}", seen.Status);
                }

                seen = query();
                if (seen.Status == wanted)
                {
                    return seen;
                }

                giveUpWhen?.Invoke(seen);
                if (Remaining <= TimeSpan.Zero)
                {
                    throw TimedOut($"{plan.ServiceName} {failing}", seen.Status);
                }

                PauseBeforeNextCheck(cancellation);
            }
        }

        /// <summary>AgentRestartTimeout: what had not happened, and the last state seen (also in Data["LastState"]).</summary>
        public PostureSyncException TimedOut(string what, string lastState)
        {
            var failure = new PostureSyncException(
                ErrorIds.AgentRestartTimeout,
                FailureKind.OperationTimeout,
                // Invariant: a German or French session would otherwise read "2,5 s" in an English sentence.
                FormattableString.Invariant($"The posture agent {plan.Name} was not back within {Timeout.TotalSeconds:0.###} s: {what}. Last state seen: {lastState}."),
                plan.Name)
            {
                RecommendedAction = "Check the service's state and logs; if it is only slow, run again with a larger -TimeoutSec.",
            };
            failure.Data["LastState"] = lastState;
            return failure;
        }

        /// <summary>The restart's result, timed from <paramref name="issued"/> to now.</summary>
        public AgentRestartResult Finished(ServiceSnapshot before, ServiceSnapshot after, DateTime issued) => new AgentRestartResult
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
    }
}
