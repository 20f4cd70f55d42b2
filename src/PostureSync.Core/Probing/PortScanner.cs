using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Net;

namespace PostureSync.Core.Probing
{
    internal sealed class PortScanOptions
    {
        /// <summary>Beyond this the pending sockets (eight per slot) could reach the descriptor limits of common systems.</summary>

        /// <summary>The sync port for targets that do not name one.</summary>
        public int Port { get; set; } = PostureSyncRule.SyncPort;

        /// <summary>Bound on each connect (and on each name resolution), in seconds; fractions allowed.</summary>
        public double TimeoutSec { get; set; } = 2;

        /// <summary>
        /// Connects starting at once, over all targets and addresses: a connect holds its slot until it is answered
        /// or has waited <see cref="PortScanner.AnswerGrace"/> without an answer, then waits out its timeout without
        /// the slot. Open sockets are bounded separately, at <see cref="PortScanner.PendingSocketsPerSlot"/> times this.
        /// </summary>
        public int ThrottleLimit { get; set; } = 32;

        public AddressFamilyFilter AddressFamily { get; set; } = AddressFamilyFilter.Any;

        /// <summary>When set, results carry an expectation and a Pass/Fail verdict; otherwise Info.</summary>
        public PostureStatus? PostureStatus { get; set; }

        internal TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSec);

        internal void Validate()
        {
            ProbeLimits.CheckPort(Port);
            ProbeLimits.CheckTimeout(TimeoutSec);
            if (ThrottleLimit < 1 || ThrottleLimit > PostureSyncRule.MaxThrottleLimit)
            {
                throw new PostureSyncException(
                    ErrorIds.InvalidThrottleLimit,
                    FailureKind.InvalidArgument,
                    "The throttle limit " + ThrottleLimit.ToString(CultureInfo.InvariantCulture) + " must be from 1 to " + PostureSyncRule.MaxThrottleLimit.ToString(CultureInfo.InvariantCulture) + ".",
                    ThrottleLimit);
            }
        }
    }

    /// <summary>
    /// TCP reachability of each target's sync port, on every address its name resolves to. Connects only: no byte is
    /// sent and the socket closes at once, so it cannot raise ISE's alarm. All targets share one throttle, so a scanner
    /// kept for a whole pipeline keeps its bounds over the whole pipeline.
    /// </summary>
    /// <remarks>
    /// The throttle bounds connects that are starting, not connects that wait: a filtered port (a dACL deny drops the
    /// SYN) costs one idle socket and nothing on the network until its timeout, so holding a slot for that whole time
    /// would make N filtered PSNs take N / ThrottleLimit timeouts instead of one. A connect therefore gives its slot up
    /// once it is answered or has had no answer for <see cref="AnswerGrace"/>; a separate ceiling of
    /// <see cref="PendingSocketsPerSlot"/> sockets per slot bounds what may be open at once.
    /// </remarks>
    internal sealed class PortScanner : IDisposable
    {
        /// <summary>How long a connect keeps its throttle slot while unanswered: about a WAN round trip.</summary>
        public static readonly TimeSpan AnswerGrace = TimeSpan.FromMilliseconds(100);

        /// <summary>Open sockets allowed per throttle slot, counting connects that wait out their timeout.</summary>
        public const int PendingSocketsPerSlot = 8;

        private readonly PortScanOptions options;
        private readonly IHostResolver resolver;
        private readonly string source;
        private readonly SemaphoreSlim starting;
        private readonly SemaphoreSlim sockets;
        private readonly CancellationTokenSource disposed = new CancellationTokenSource();
        private readonly TimeSpan answerGrace;

        public PortScanner(PortScanOptions options, IHostResolver resolver, string? source = null)
            : this(options, resolver, source, AnswerGrace)
        {
        }

        /// <summary>With another grace, so tests can tell the socket ceiling from the throttle.</summary>
        internal PortScanner(PortScanOptions options, IHostResolver resolver, string? source, TimeSpan answerGrace)
        {
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            options.Validate();
            this.source = source ?? Environment.MachineName;
            this.answerGrace = answerGrace;
            starting = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
            int ceiling = options.ThrottleLimit * PendingSocketsPerSlot;
            sockets = new SemaphoreSlim(ceiling, ceiling);
        }

        public PortScanOptions Options => options;

        /// <summary>A scanner resolving names through DNS, or the hosts file named by POSTURESYNC_HOSTS_FILE.</summary>
        public static PortScanner ForEnvironment(PortScanOptions options) => new PortScanner(options, HostResolvers.FromEnvironment());

        /// <summary>Parses a target as given by the user, with this scanner's default port.</summary>
        public ProbeTarget ParseTarget(string text) => ProbeTarget.Parse(text, options.Port);

        /// <summary>Starts every target at once (bounded by the throttle); the tasks are in input order.</summary>
        public IReadOnlyList<Task<IReadOnlyList<PortTestResult>>> Start(IEnumerable<ProbeTarget> targets, CancellationToken cancellationToken) =>
            targets.Select(t => TestAsync(t, cancellationToken)).ToList();

        /// <summary>Every target's results, in input order, then address order.</summary>
        public async Task<IReadOnlyList<PortTestResult>> TestAllAsync(IEnumerable<ProbeTarget> targets, CancellationToken cancellationToken)
        {
            IReadOnlyList<PortTestResult>[] all = await Task.WhenAll(Start(targets, cancellationToken)).ConfigureAwait(false);
            return all.SelectMany(r => r).ToList();
        }

        /// <summary>
        /// One result per address of the target (one Unresolved result when there is none). Throws only on
        /// cancellation, by the caller or by disposing the scanner.
        /// </summary>
        public async Task<IReadOnlyList<PortTestResult>> TestAsync(ProbeTarget target, CancellationToken cancellationToken)
        {
            if (target is null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            // Let the caller's loop go on starting other targets before this one does any work.
            await Task.Yield();
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token))
            {
                CancellationToken token = linked.Token;
                TargetAddresses addresses = await TargetAddresses.ResolveAsync(resolver, target.Host, options.AddressFamily, options.Timeout, token).ConfigureAwait(false);

                if (addresses.Problem != null)
                {
                    return new[] { Result(target, null, addresses.Excluded ? PortStates.Excluded : PortStates.Unresolved, null, null, addresses.Problem) };
                }

                return await Task.WhenAll(addresses.Addresses.Select(a => ConnectAsync(target, a, token))).ConfigureAwait(false);
            }
        }

        /// <summary>Cancels whatever is still in flight, which closes its sockets.</summary>
        public void Dispose() => disposed.Cancel();

        private async Task<PortTestResult> ConnectAsync(ProbeTarget target, IPAddress address, CancellationToken cancellationToken)
        {
            await sockets.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Task<TcpConnectAttempt> connect;
                await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    connect = TcpConnector.ConnectAsync(address, target.Port, options.Timeout, keepOpen: false, cancellationToken);
                    await Task.WhenAny(connect, Task.Delay(answerGrace, cancellationToken)).ConfigureAwait(false);
                }
                finally
                {
                    starting.Release();
                }

                TcpConnectAttempt attempt = await connect.ConfigureAwait(false);
                return Result(target, address, attempt.State, attempt.LatencyMs, attempt.SocketError?.ToString(), attempt.ErrorText);
            }
            finally
            {
                sockets.Release();
            }
        }

        private PortTestResult Result(ProbeTarget target, IPAddress? address, string state, double? latencyMs, string? socketError, string? detail)
        {
            var result = new PortTestResult
            {
                Source = source,
                TargetName = target.Host,
                TargetAddress = address?.ToString(),
                AddressFamily = address is null ? null : TargetAddresses.FamilyName(address),
                Port = target.Port,
                State = state,
                LatencyMs = latencyMs,
                SocketError = socketError,
            };
            PostureJudgement.Judge(result, options.PostureStatus, options.TimeoutSec, detail);
            return result;
        }
    }

    internal static class ProbeLimits
    {
        /// <summary>An hour: beyond that a "timeout" no longer bounds anything a person waits for.</summary>

        public static void CheckPort(int port)
        {
            if (port < 1 || port > 65535)
            {
                throw new PostureSyncException(
                    ErrorIds.InvalidPort,
                    FailureKind.InvalidArgument,
                    "The port " + port.ToString(CultureInfo.InvariantCulture) + " is not from 1 to 65535.",
                    port);
            }
        }

        public static void CheckTimeout(double seconds)
        {
            if (double.IsNaN(seconds) || seconds <= 0 || seconds > PostureSyncRule.MaxTimeoutSec)
            {
                throw new PostureSyncException(
                    ErrorIds.InvalidTimeout,
                    FailureKind.InvalidArgument,
                    "The timeout " + seconds.ToString(CultureInfo.InvariantCulture) + " s must be more than 0 and at most " + PostureSyncRule.MaxTimeoutSec.ToString(CultureInfo.InvariantCulture) + " s.",
                    seconds);
            }
        }
    }
}
