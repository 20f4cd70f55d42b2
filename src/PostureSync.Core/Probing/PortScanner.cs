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
    public sealed class PortScanOptions
    {
        /// <summary>The sync port for targets that do not name one.</summary>
        public int Port { get; set; } = 8449;

        /// <summary>Bound on each connect (and on each name resolution), in seconds; fractions allowed.</summary>
        public double TimeoutSec { get; set; } = 2;

        /// <summary>Connects in flight at once, over all targets and addresses.</summary>
        public int ThrottleLimit { get; set; } = 32;

        public AddressFamilyFilter AddressFamily { get; set; } = AddressFamilyFilter.Any;

        /// <summary>When set, results carry an expectation and a Pass/Fail verdict; otherwise Info.</summary>
        public PostureStatus? PostureStatus { get; set; }

        internal TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSec);

        internal void Validate()
        {
            ProbeLimits.CheckPort(Port);
            ProbeLimits.CheckTimeout(TimeoutSec);
            if (ThrottleLimit < 1)
            {
                throw new PostureSyncException(
                    "InvalidThrottleLimit",
                    FailureKind.InvalidArgument,
                    "The throttle limit " + ThrottleLimit.ToString(CultureInfo.InvariantCulture) + " must be at least 1.",
                    ThrottleLimit);
            }
        }
    }

    /// <summary>
    /// TCP reachability of each target's sync port, on every address its name resolves to. Connects only: no byte is
    /// sent and the socket closes at once, so it cannot raise ISE's alarm. All targets share one throttle, so a scanner
    /// kept for a whole pipeline keeps at most ThrottleLimit connects in flight.
    /// </summary>
    public sealed class PortScanner : IDisposable
    {
        private readonly PortScanOptions options;
        private readonly IHostResolver resolver;
        private readonly string source;
        private readonly SemaphoreSlim throttle;

        public PortScanner(PortScanOptions options, IHostResolver resolver, string? source = null)
        {
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            options.Validate();
            this.source = source ?? Environment.MachineName;
            throttle = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
        }

        public PortScanOptions Options => options;

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

        /// <summary>One result per address of the target (one Unresolved result when there is none). Throws only on cancellation.</summary>
        public async Task<IReadOnlyList<PortTestResult>> TestAsync(ProbeTarget target, CancellationToken cancellationToken)
        {
            if (target is null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            // Let the caller's loop go on starting other targets before this one does any work.
            await Task.Yield();
            TargetAddresses addresses;
            try
            {
                addresses = await TargetAddresses.ResolveAsync(resolver, target.Host, options.AddressFamily, options.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                return new[] { Result(target, null, PortStates.Error, null, null, "name resolution failed: " + ex.Message) };
            }

            if (addresses.Problem != null)
            {
                return new[] { Result(target, null, PortStates.Unresolved, null, null, addresses.Problem) };
            }

            PortTestResult[] results = await Task.WhenAll(addresses.Addresses.Select(a => ConnectAsync(target, a, cancellationToken))).ConfigureAwait(false);
            return results;
        }

        public void Dispose() => throttle.Dispose();

        private async Task<PortTestResult> ConnectAsync(ProbeTarget target, IPAddress address, CancellationToken cancellationToken)
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                TcpConnectAttempt attempt = await TcpConnector.ConnectAsync(address, target.Port, options.Timeout, keepOpen: false, cancellationToken).ConfigureAwait(false);
                return Result(target, address, attempt.State, attempt.LatencyMs, attempt.SocketError?.ToString(), attempt.ErrorText);
            }
            finally
            {
                throttle.Release();
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
        public const double MaxTimeoutSec = 3600;

        public static void CheckPort(int port)
        {
            if (port < 1 || port > 65535)
            {
                throw new PostureSyncException(
                    "InvalidPort",
                    FailureKind.InvalidArgument,
                    "The port " + port.ToString(CultureInfo.InvariantCulture) + " is not from 1 to 65535.",
                    port);
            }
        }

        public static void CheckTimeout(double seconds)
        {
            if (double.IsNaN(seconds) || seconds <= 0 || seconds > MaxTimeoutSec)
            {
                throw new PostureSyncException(
                    "InvalidTimeout",
                    FailureKind.InvalidArgument,
                    "The timeout " + seconds.ToString(CultureInfo.InvariantCulture) + " s must be more than 0 and at most " + MaxTimeoutSec.ToString(CultureInfo.InvariantCulture) + " s.",
                    seconds);
            }
        }
    }
}
