using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core;
using PostureSync.Core.Ise;
using PostureSync.Core.Net;
using PostureSync.Core.Reporting;

namespace PostureSync.Internal
{
    /// <summary>
    /// What the ISE cmdlets share: -Connection, or -Server and -Credential directly, or the session's default from
    /// Connect-IseServer; the TLS options; and running the core's async reads with verbose output, Ctrl+C and errors.
    /// </summary>
    public abstract class IseCmdlet : PostureSyncCmdlet
    {
        /// <summary>The default connection of each runspace (a PowerShell session), set by Connect-IseServer.</summary>
        private static readonly ConditionalWeakTable<Runspace, IseConnection> Defaults = new ConditionalWeakTable<Runspace, IseConnection>();

        private readonly ConcurrentQueue<string> verbose = new ConcurrentQueue<string>();

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CertificateThumbprint { get; set; }

        [Parameter]
        [ValidateRange(IseClientOptions.MinTimeoutSec, PostureSyncRule.MaxTimeoutSec)]
        public double TimeoutSec { get; set; } = IseClientOptions.DefaultTimeoutSec;

        [Parameter]
        [ValidateRange(1, IseClientOptions.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = IseClientOptions.DefaultThrottleLimit;

        /// <summary>host, host:port or https://host:port; port 443 (the API gateway) unless given.</summary>
        protected abstract string? ServerName { get; }

        protected abstract PSCredential? ServerCredential { get; }

        internal static void SetDefault(IseConnection connection)
        {
            Runspace runspace = Runspace.DefaultRunspace;
            Defaults.Remove(runspace);
            Defaults.Add(runspace, connection);
        }

        /// <summary>The session's default connection, if Connect-IseServer ran in this runspace.</summary>
        internal static IseConnection? DefaultConnection() => Defaults.TryGetValue(Runspace.DefaultRunspace, out IseConnection? saved) ? saved : null;

        internal IseConnection NewConnection()
        {
            if (ServerCredential is null)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.IseCredentialMissing, FailureKind.InvalidArgument, "-Server needs -Credential.", ServerName)
                {
                    RecommendedAction = "Add -Credential (Get-Credential), with an ISE admin user in the ERS Operator group.",
                });
            }

            (string host, int port) = ParseServer(ServerName ?? string.Empty);
            string? pin = IseRestClient.NormalizeThumbprint(CertificateThumbprint);
            if (pin != null && pin.Length != 40 && pin.Length != 64)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.IseThumbprintInvalid, FailureKind.InvalidArgument,
                    $"-CertificateThumbprint '{CertificateThumbprint}' is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.", CertificateThumbprint)
                {
                    RecommendedAction = "Copy the thumbprint the IseCertificateInvalid error named, or the admin certificate's from ISE.",
                });
            }

            NetworkCredential credential = ServerCredential!.GetNetworkCredential();
            var options = new IseClientOptions(host, port, credential)
            {
                SkipCertificateCheck = SkipCertificateCheck,
                CertificateThumbprint = pin,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                ThrottleLimit = ThrottleLimit,
            };
            WriteVerbose($"ISE {options.Server} as {credential.UserName}; certificate {(SkipCertificateCheck ? "not checked (-SkipCertificateCheck)" : pin != null ? "pinned to " + pin : "validated")}.");
            return new IseConnection(new IseRestClient(options)) { ConnectedAt = DateTime.Now };
        }

        private (string Host, int Port) ParseServer(string text)
        {
            string value = text.Trim();
            if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                ThrowFailure(new PostureSyncException(ErrorIds.IseServerInvalid, FailureKind.InvalidArgument,
                    $"'{text}' is plain http://: PostureSync sends ISE credentials only over HTTPS.", text)
                {
                    RecommendedAction = "Give the host (and port) alone, or https://host:port.",
                });
            }

            if (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                value = value.Substring("https://".Length).TrimEnd('/');
            }

            if (!HostPort.TryParse(value, out HostPort? parsed, out string? problem) || value.IndexOf('/') >= 0)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.IseServerInvalid, FailureKind.InvalidArgument,
                    $"-Server '{text}' is not a host or host:port ({problem ?? "it holds a path"}).", text)
                {
                    RecommendedAction = "Give e.g. ise-pan1.example.com or ise-pan1.example.com:9060.",
                });
            }

            return (parsed!.Host, parsed.Port ?? 443);
        }

        /// <summary>A reader for this command: -TimeoutSec and -ThrottleLimit when given, else the connection's.</summary>
        internal IseReader NewReader(IseConnection connection) => new IseReader(
            connection.Client,
            verbose.Enqueue,
            Cancellation,
            MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null,
            MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : (int?)null);

        /// <summary>Runs the core's async work with this command's verbose queue (see <see cref="RunToEnd{T}"/>).</summary>
        internal T Run<T>(Func<Task<T>> work) => RunToEnd(this, verbose, Cancellation, work);

        /// <summary>
        /// Runs async core work to its end on the pipeline thread, writing the lines it queued from any thread as
        /// verbose as they come (a cmdlet may write only from its own thread); Ctrl+C cancels it through
        /// <paramref name="cancellation"/>. A core failure is thrown as the <see cref="PostureSyncException"/> for the caller to map.
        /// </summary>
        internal static T RunToEnd<T>(Cmdlet cmdlet, ConcurrentQueue<string> verbose, CancellationToken cancellation, Func<Task<T>> work)
        {
            try
            {
                return AsyncWork.RunToEnd(work, verbose, cmdlet.WriteVerbose);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary><see cref="Run{T}"/>, with a failure of the whole command made terminating.</summary>
        internal T RunOrThrow<T>(Func<Task<T>> work)
        {
            try
            {
                return Run(work);
            }
            catch (PostureSyncException failure)
            {
                ThrowFailure(failure);
                throw;
            }
        }
    }
}
