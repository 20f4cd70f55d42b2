using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Net;

namespace PostureSync.Core.Probing
{
    internal sealed class HttpsProbeOptions
    {
        public int Port { get; set; } = PostureSyncRule.SyncPort;

        /// <summary>Bound on each step (connect, TLS handshake, HTTP exchange), in seconds; fractions allowed.</summary>
        public double TimeoutSec { get; set; } = 2;

        /// <summary>Rounds; each round probes every target once.</summary>
        public int Count { get; set; } = 1;

        /// <summary>Seconds from the start of one round to the start of the next (the agent's kind of timer).</summary>
        public double IntervalSec { get; set; } = 10;

        /// <summary>The path of the GET; the agent's real path is not public, so it is the caller's choice.</summary>
        public string RequestPath { get; set; } = "/";

        /// <summary>Go on with the exchange when the certificate fails; it is examined and reported either way.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>With Compliant or NonCompliant, a successful connect stops before TLS unless <see cref="Force"/>.</summary>
        public PostureStatus? PostureStatus { get; set; }

        public bool Force { get; set; }

        public AddressFamilyFilter AddressFamily { get; set; } = AddressFamilyFilter.Any;

        /// <summary>Probes in flight at once.</summary>
        public int ThrottleLimit { get; set; } = 32;

        /// <summary>Put in <c>User-Agent: PostureSync/&lt;version&gt;</c>.</summary>
        public string UserAgentVersion { get; set; } = "0.0.0";

        internal TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSec);

        internal void Validate()
        {
            ProbeLimits.CheckPort(Port);
            ProbeLimits.CheckTimeout(TimeoutSec);
            if (Count < 1)
            {
                throw Invalid(ErrorIds.InvalidCount, "The count " + Count.ToString(CultureInfo.InvariantCulture) + " must be at least 1.", Count);
            }

            if (double.IsNaN(IntervalSec) || IntervalSec < 0 || IntervalSec > PostureSyncRule.MaxIntervalSec)
            {
                throw Invalid(ErrorIds.InvalidInterval, "The interval " + IntervalSec.ToString(CultureInfo.InvariantCulture) + " s must be from 0 to " + PostureSyncRule.MaxIntervalSec.ToString(CultureInfo.InvariantCulture) + " s.", IntervalSec);
            }

            if (ThrottleLimit < 1)
            {
                throw Invalid(ErrorIds.InvalidThrottleLimit, "The throttle limit " + ThrottleLimit.ToString(CultureInfo.InvariantCulture) + " must be at least 1.", ThrottleLimit);
            }

            if (string.IsNullOrEmpty(RequestPath) || RequestPath[0] != '/' || RequestPath.Any(c => c <= ' ' || c >= 127))
            {
                throw new PostureSyncException(
                    ErrorIds.InvalidRequestPath,
                    FailureKind.InvalidArgument,
                    "The request path '" + RequestPath + "' must start with '/' and contain no spaces, control or non-ASCII characters.",
                    RequestPath)
                {
                    RecommendedAction = "Percent-encode the path, e.g. /a%20b.",
                };
            }

            if (string.IsNullOrEmpty(UserAgentVersion) || UserAgentVersion.Any(c => c <= ' ' || c >= 127))
            {
                throw Invalid(ErrorIds.InvalidUserAgentVersion, "The version '" + UserAgentVersion + "' cannot go into a User-Agent header.", UserAgentVersion);
            }
        }

        private static PostureSyncException Invalid(string errorId, string message, object target) =>
            new PostureSyncException(errorId, FailureKind.InvalidArgument, message, target);
    }

    /// <summary>
    /// The agent's kind of probe, made visible: TCP connect, TLS handshake with SNI = the target name, one HTTP/1.1
    /// GET, and what came back. The probe path and ISE's answers are not public (DOMAIN.md §1), so interpretations
    /// beyond what was observed are marked [inferred]. Each step is bounded by the timeout on its own.
    /// </summary>
    internal sealed class HttpsProber : IDisposable
    {
        /// <summary>How much body is kept for the preview.</summary>
        public const int BodyPreviewBytes = 4096;

        /// <summary>Longest header value or certificate name shown; they come from the server, so they are folded and cut.</summary>
        internal const int HeaderValueChars = 256;

        private static readonly PropertyInfo? NegotiatedCipherSuite = typeof(SslStream).GetProperty("NegotiatedCipherSuite");

        private readonly HttpsProbeOptions options;
        private readonly IHostResolver resolver;
        private readonly SemaphoreSlim throttle;
        private readonly CancellationTokenSource disposed = new CancellationTokenSource();

        public HttpsProber(HttpsProbeOptions options, IHostResolver resolver)
        {
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            options.Validate();
            throttle = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
        }

        public HttpsProbeOptions Options => options;

        public ProbeTarget ParseTarget(string text) => ProbeTarget.Parse(text, options.Port);

        /// <summary>
        /// Every round over every target, in round order then input order, blocking per item; waits the interval
        /// between rounds. Cancellation ends the wait within moments.
        /// </summary>
        public IEnumerable<ProbeResult> Run(IReadOnlyList<ProbeTarget> targets, CancellationToken cancellationToken)
        {
            TimeSpan interval = TimeSpan.FromSeconds(options.IntervalSec);
            for (int sequence = 1; sequence <= options.Count; sequence++)
            {
                Stopwatch round = Stopwatch.StartNew();
                var queue = new OrderedResultQueue<ProbeResult>();
                foreach (Task<IReadOnlyList<ProbeResult>> work in StartRound(targets, sequence, cancellationToken))
                {
                    queue.Add(work);
                }

                foreach (ProbeResult result in queue.TakeAll(cancellationToken))
                {
                    yield return result;
                }

                if (sequence < options.Count)
                {
                    TimeSpan rest = interval - round.Elapsed;
                    if (rest > TimeSpan.Zero)
                    {
                        cancellationToken.WaitHandle.WaitOne(rest);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        /// <summary>Starts one round over all targets at once (bounded by the throttle); tasks in input order.</summary>
        public IReadOnlyList<Task<IReadOnlyList<ProbeResult>>> StartRound(IEnumerable<ProbeTarget> targets, int sequence, CancellationToken cancellationToken) =>
            targets.Select(t => ProbeAsync(t, sequence, cancellationToken)).ToList();

        /// <summary>One round against one target: a result per address, or one Unresolved result. Throws only on cancellation.</summary>
        public async Task<IReadOnlyList<ProbeResult>> ProbeAsync(ProbeTarget target, int sequence, CancellationToken cancellationToken)
        {
            if (target is null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            await Task.Yield();
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token))
            {
                return await ProbeTargetAsync(target, sequence, linked.Token).ConfigureAwait(false);
            }
        }

        private async Task<IReadOnlyList<ProbeResult>> ProbeTargetAsync(ProbeTarget target, int sequence, CancellationToken cancellationToken)
        {
            DateTime started = DateTime.Now;
            Stopwatch watch = Stopwatch.StartNew();
            TargetAddresses addresses = await TargetAddresses.ResolveAsync(resolver, target.Host, options.AddressFamily, options.Timeout, cancellationToken).ConfigureAwait(false);

            if (addresses.Problem != null)
            {
                ProbeResult unresolved = NewResult(target, null, sequence, started);
                unresolved.Outcome = ProbeOutcomes.Unresolved;
                unresolved.TcpState = PortStates.Unresolved;
                unresolved.Interpretation = Sentences(addresses.Problem + "; nothing was sent.", UnresolvedMeaning());
                unresolved.ElapsedMs = TcpConnector.Round(watch.Elapsed.TotalMilliseconds);
                return new[] { unresolved };
            }

            return await Task.WhenAll(addresses.Addresses.Select(a => ProbeAddressAsync(target, a, sequence, cancellationToken))).ConfigureAwait(false);
        }

        /// <summary>Cancels whatever is still in flight, which closes its connections.</summary>
        public void Dispose() => disposed.Cancel();

        private async Task<ProbeResult> ProbeAddressAsync(ProbeTarget target, IPAddress address, int sequence, CancellationToken cancellationToken)
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ProbeResult result = NewResult(target, address, sequence, DateTime.Now);
                Stopwatch watch = Stopwatch.StartNew();
                await ExchangeAsync(result, target, address, cancellationToken).ConfigureAwait(false);
                result.ElapsedMs = TcpConnector.Round(watch.Elapsed.TotalMilliseconds);
                return result;
            }
            finally
            {
                throttle.Release();
            }
        }

        private async Task ExchangeAsync(ProbeResult result, ProbeTarget target, IPAddress address, CancellationToken cancellationToken)
        {
            string timeout = options.TimeoutSec.ToString("0.###", CultureInfo.InvariantCulture) + " s";
            TcpConnectAttempt attempt = await TcpConnector.ConnectAsync(address, target.Port, options.Timeout, keepOpen: true, cancellationToken).ConfigureAwait(false);
            result.TcpState = attempt.State;
            if (attempt.State != PortStates.Open)
            {
                result.Outcome = attempt.State == PortStates.Closed ? ProbeOutcomes.Refused : ProbeOutcomes.Blocked;
                result.Interpretation = Sentences(NotConnected(attempt, timeout), TcpMeaning(attempt.State));
                return;
            }

            if (IsKnownPosture() && !options.Force)
            {
                attempt.Socket!.Dispose();
                result.Outcome = ProbeOutcomes.StoppedToAvoidAlarm;
                result.Interpretation = "TCP connect succeeded while posture is " + options.PostureStatus + ", when the port must be blocked: "
                    + "the dACL lacks the deny for this PSN, or is not applied yet [inferred]. Stopped before TLS: an HTTPS request that reaches ISE from a "
                    + options.PostureStatus + " endpoint may raise \"Posture Configuration Detection\" [inferred]. Use -Force to send it anyway.";
                return;
            }

            CertificateFacts? certificate = null;
            string sniHost = target.Host;
            var recorder = new FirstBytesStream(new NetworkStream(attempt.Socket!, ownsSocket: true));
            using (var tls = new SslStream(recorder, false, (sender, cert, chain, errors) =>
            {
                // The certificate is examined on every handshake; skipping the check only decides whether to go on.
                certificate = CertificateFacts.From(cert, chain, errors, sniHost);
                return options.SkipCertificateCheck || certificate.Acceptable;
            }))
            {
                try
                {
                    Task handshake = StartHandshake(tls, sniHost);
                    if (!await CompletesWithinAsync(handshake, cancellationToken).ConfigureAwait(false))
                    {
                        Describe(result, certificate);
                        result.Outcome = ProbeOutcomes.Timeout;
                        result.Interpretation = Sentences(
                            "TCP connected, but the TLS handshake did not finish within " + timeout + " ("
                            + recorder.FirstBytes.Length.ToString(CultureInfo.InvariantCulture) + " bytes received).",
                            TcpMeaning(PortStates.Open));
                        return;
                    }
                }
                catch (Exception ex) when (ex is AuthenticationException || ex is IOException || ex is SocketException || ex is ObjectDisposedException)
                {
                    Describe(result, certificate);
                    result.Outcome = ProbeOutcomes.TlsFailed;
                    result.Interpretation = Sentences(TlsFailure(ex, certificate, recorder.FirstBytes), TcpMeaning(PortStates.Open));
                    return;
                }

                Describe(result, certificate);
                result.TlsProtocol = tls.SslProtocol.ToString();
                result.CipherSuite = CipherSuiteOf(tls);

                var reader = new HttpResponseReader(BodyPreviewBytes);
                bool finished;
                try
                {
                    byte[] request = Encoding.ASCII.GetBytes(Request(target));
                    finished = await CompletesWithinAsync(SendAndReadAsync(tls, request, reader), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
                {
                    reader.Abandon("the connection failed: " + ex.Message);
                    finished = true;
                }

                // A read abandoned at the timeout is still running until the stream is disposed: freeze the reader first.
                reader.Stop();
                DescribeHttp(result, reader, finished, timeout);
            }
        }

        private static async Task SendAndReadAsync(Stream stream, byte[] request, HttpResponseReader reader)
        {
            await stream.WriteAsync(request, 0, request.Length).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            await reader.ReadAsync(stream, CancellationToken.None).ConfigureAwait(false);
        }

        /// <summary>
        /// Waits for a step no longer than the timeout. SslStream's operations cannot be cancelled on netstandard2.0,
        /// so the wait is abandoned and the caller's disposal of the stream ends the operation.
        /// </summary>
        private async Task<bool> CompletesWithinAsync(Task step, CancellationToken cancellationToken)
        {
            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                Task finished = await Task.WhenAny(step, Task.Delay(options.Timeout, timer.Token)).ConfigureAwait(false);
                if (finished != step)
                {
                    TcpConnector.Observe(step);
                    cancellationToken.ThrowIfCancellationRequested();
                    return false;
                }

                timer.Cancel();
            }

            await step.ConfigureAwait(false);
            return true;
        }

        private string Request(ProbeTarget target)
        {
            string host = EndpointText.Host(target.Host);
            return "GET " + options.RequestPath + " HTTP/1.1\r\n"
                + "Host: " + host + (target.Port == 443 ? string.Empty : ":" + target.Port.ToString(CultureInfo.InvariantCulture)) + "\r\n"
                + "User-Agent: PostureSync/" + options.UserAgentVersion + "\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n";
        }

        private void DescribeHttp(ProbeResult result, HttpResponseReader reader, bool finished, string timeout)
        {
            result.HttpStatusCode = reader.StatusCode;
            result.HttpReason = Printable.Clean(reader.Reason, HeaderValueChars);
            result.ServerHeader = Printable.Clean(reader.Headers.TryGetValue("Server", out string? server) ? server : null, HeaderValueChars);
            result.ContentType = Printable.Clean(reader.Headers.TryGetValue("Content-Type", out string? type) ? type : null, HeaderValueChars);
            if (reader.HeadComplete)
            {
                result.BodyPreview = Printable.Fold(Encoding.UTF8.GetString(reader.Body), reader.BodyCut || !reader.BodyComplete);
            }

            string received = reader.BytesReceived.ToString(CultureInfo.InvariantCulture) + " bytes received";
            string sent = "GET " + options.RequestPath + " sent over " + result.TlsProtocol + ". ";
            if (!finished && !reader.HeadComplete)
            {
                result.Outcome = ProbeOutcomes.Timeout;
                result.Interpretation = Sentences(sent + "The response headers did not arrive within " + timeout + " (" + received + ").", TcpMeaning(PortStates.Open));
                return;
            }

            if (reader.Failure != null)
            {
                result.Outcome = ProbeOutcomes.HttpFailed;
                result.Interpretation = Sentences(sent + "The HTTP exchange failed: " + reader.Failure + " (" + received + ").", TcpMeaning(PortStates.Open));
                return;
            }

            result.Outcome = ProbeOutcomes.Answered;
            string body = finished ? string.Empty : " The body did not finish within " + timeout + "; the preview holds what came.";
            result.Interpretation = Sentences(
                sent + "Observed: HTTP " + reader.StatusCode?.ToString(CultureInfo.InvariantCulture) + " " + result.HttpReason + "." + body,
                "ISE's probe path and answers are not public, so what this status means to the agent is unknown [inferred].",
                TcpMeaning(PortStates.Open),
                CertificateNote(result));
        }

        private static void Describe(ProbeResult result, CertificateFacts? certificate)
        {
            if (certificate is null)
            {
                return;
            }

            result.CertificateSubject = Printable.Clean(certificate.Subject, HeaderValueChars);
            result.CertificateIssuer = Printable.Clean(certificate.Issuer, HeaderValueChars);
            result.CertificateSan = certificate.SubjectAlternativeNames.Select(n => Printable.Clean(n, HeaderValueChars)!).ToArray();
            result.CertificateNotBefore = certificate.NotBefore;
            result.CertificateNotAfter = certificate.NotAfter;
            result.CertificateThumbprint = certificate.Thumbprint;
            result.CertificateTrusted = certificate.Trusted;
            result.CertificateErrors = certificate.Errors;
        }

        private static string CertificateNote(ProbeResult result) =>
            result.CertificateErrors.Length == 0
                ? string.Empty
                : "The certificate did not pass (" + string.Join("; ", result.CertificateErrors) + "); whether the agent accepts it is not public [inferred].";

        /// <summary>Joins the parts that have something to say, one space apart.</summary>
        private static string Sentences(params string[] parts) => string.Join(" ", parts.Where(p => p.Length > 0));

        private string TlsFailure(Exception ex, CertificateFacts? certificate, byte[] firstBytes)
        {
            if (certificate != null && !certificate.Acceptable && !options.SkipCertificateCheck)
            {
                return "TLS handshake stopped: the server's certificate did not pass (" + string.Join("; ", certificate.Errors) + "). Use -SkipCertificateCheck to go on anyway.";
            }

            string answer = Encoding.ASCII.GetString(firstBytes);
            if (answer.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                return "TLS handshake failed: the port answered in plain HTTP ('" + Printable.Fold(answer, cut: true) + "'), not TLS; this is not an HTTPS listener.";
            }

            if (firstBytes.Length == 0)
            {
                return "TLS handshake failed: the server closed the connection without answering the TLS hello (" + ex.Message + ").";
            }

            return "TLS handshake failed: the server's answer is not TLS or not acceptable (" + ex.Message + ").";
        }

        private static string NotConnected(TcpConnectAttempt attempt, string timeout)
        {
            switch (attempt.State)
            {
                case PortStates.Closed:
                    return "TCP connect was refused (reset): nothing listens on the port at this address, or a firewall resets it [inferred].";
                case PortStates.Filtered:
                    return "TCP connect got no answer within " + timeout + ": a dACL deny or a firewall drops the SYN, or the host is down [inferred].";
                case PortStates.Unreachable:
                    return "TCP connect failed: " + attempt.ErrorText + " (no route, or an ACL answered with ICMP unreachable [inferred]).";
                default:
                    return "TCP connect failed: " + attempt.ErrorText + ".";
            }
        }

        /// <summary>What the TCP state means under the posture rule, when a status was given; empty otherwise.</summary>
        private string TcpMeaning(string tcpState)
        {
            if (options.PostureStatus is null)
            {
                return string.Empty;
            }

            PostureStatus posture = options.PostureStatus.Value;
            bool connected = tcpState == PortStates.Open;
            if (IsKnownPosture())
            {
                if (connected)
                {
                    return "While posture is " + posture + " the port must be blocked: the dACL lacks the deny for this PSN, or is not applied yet [inferred]; "
                        + "the agent's probe reaching ISE raises \"Posture Configuration Detection\" and stops state sync until Secure Client is restarted.";
                }

                switch (tcpState)
                {
                    case PortStates.Filtered:
                        return "Blocked, as it must be while posture is " + posture + ".";
                    case PortStates.Error:
                        return "Whether the port is blocked, as it must be while posture is " + posture + ", could not be told.";
                    default:
                        return "Not reachable, as it must be while posture is " + posture + "; but a dACL deny drops silently, so something else answered and the dACL is not proven [inferred].";
                }
            }

            return connected
                ? "Reachable, as it must be while posture is " + posture + "."
                : "While posture is " + posture + " the port must be reachable: the agent cannot probe this PSN, so if ISE loses the session the endpoint stays in posture unknown.";
        }

        /// <summary>What a name that does not resolve means under the posture rule.</summary>
        private string UnresolvedMeaning() =>
            options.PostureStatus is null || IsKnownPosture()
                ? string.Empty
                : "While posture is " + options.PostureStatus + " the PSN must be reachable: if the agent cannot resolve the name either, it cannot probe this PSN [inferred].";

        private bool IsKnownPosture() =>
            options.PostureStatus is PostureStatus status && PostureSyncRule.PortMustBeBlocked(status);

        private static ProbeResult NewResult(ProbeTarget target, IPAddress? address, int sequence, DateTime started) => new ProbeResult
        {
            TargetName = target.Host,
            TargetAddress = address?.ToString(),
            Port = target.Port,
            Sequence = sequence,
            Timestamp = started,
        };

        /// <summary>
        /// The system's default protocol choice (TLS 1.2/1.3 where the OS allows): SslProtocols.None on .NET Core and on
        /// .NET Framework 4.7+ when the process allows system-default TLS versions.
        /// </summary>
        private const SslProtocols DefaultProtocols = SslProtocols.None;

        /// <summary>
        /// What .NET Framework itself offers when system-default versions are off: TLS 1.0 to 1.2, named.
        /// </summary>
        internal const SslProtocols NamedProtocols = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12;

        /// <summary>
        /// Starts the client handshake with the system's default versions. Windows PowerShell 5.1 (powershell.exe names
        /// no target framework, so .NET Framework runs it with pre-4.7 defaults, unless SystemDefaultTlsVersions is set
        /// in the registry) refuses SslProtocols.None with an ArgumentException before anything is sent; the versions
        /// are then named instead, which also keeps TLS 1.2 when its own default would be SSL 3/TLS 1.0 only.
        /// </summary>
        internal static async Task StartHandshake(SslStream tls, string targetHost)
        {
            try
            {
                await tls.AuthenticateAsClientAsync(targetHost, null, DefaultProtocols, false).ConfigureAwait(false);
                return;
            }
            catch (ArgumentException)
            {
                // Raised by the argument check, at once or through the task, before the stream is used.
            }

            await tls.AuthenticateAsClientAsync(targetHost, null, NamedProtocols, false).ConfigureAwait(false);
        }

        /// <summary>
        /// The IANA suite name where the runtime has it (.NET Core 3+, not in the netstandard2.0 surface), else the
        /// algorithm parts netstandard2.0 exposes.
        /// </summary>
        private static string CipherSuiteOf(SslStream tls)
        {
            object? suite = NegotiatedCipherSuite?.GetValue(tls);
            if (suite != null)
            {
                return suite.ToString();
            }

            return tls.CipherAlgorithm + " " + tls.CipherStrength.ToString(CultureInfo.InvariantCulture) + ", " + tls.HashAlgorithm + ", " + tls.KeyExchangeAlgorithm;
        }
    }
}
