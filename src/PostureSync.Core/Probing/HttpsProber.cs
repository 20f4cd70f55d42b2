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
    /// <summary>
    /// The agent's kind of probe, made visible: TCP connect, TLS handshake with SNI = the target name, one HTTP/1.1
    /// GET, and what came back, as facts on the result; <see cref="ProbeExplanation"/> says what they mean. Each step is
    /// bounded by the timeout on its own.
    /// </summary>
    internal sealed class HttpsProber : IDisposable
    {
        /// <summary>How much body is kept for the preview.</summary>
        public const int BodyPreviewBytes = 4096;

        /// <summary>Longest header value or certificate name shown; they come from the server, so they are folded and cut.</summary>
        internal const int HeaderValueChars = 256;

        private static readonly PropertyInfo? NegotiatedCipherSuite = typeof(SslStream).GetProperty("NegotiatedCipherSuite");

        private readonly HttpsProbeOptions options;
        private readonly ProbeExplanation explanation;
        private readonly IHostResolver resolver;
        private readonly SemaphoreSlim throttle;
        private readonly CancellationTokenSource disposed = new CancellationTokenSource();

        public HttpsProber(HttpsProbeOptions options, IHostResolver resolver)
        {
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            options.Validate();
            explanation = new ProbeExplanation(options);
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
                if (addresses.Excluded)
                {
                    unresolved.TcpState = PortStates.Excluded;
                    explanation.Excluded(unresolved, addresses.Problem);
                }
                else
                {
                    unresolved.TcpState = PortStates.Unresolved;
                    explanation.Unresolved(unresolved, addresses.Problem);
                }

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
            TcpConnectAttempt attempt = await TcpConnector.ConnectAsync(address, target.Port, options.Timeout, keepOpen: true, cancellationToken).ConfigureAwait(false);
            result.TcpState = attempt.State;
            if (attempt.State != PortStates.Open)
            {
                explanation.NotConnected(result, attempt);
                return;
            }

            if (options.StopsBeforeTls)
            {
                attempt.Socket!.Dispose();
                explanation.StoppedToAvoidAlarm(result);
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
                        explanation.HandshakeTimedOut(result, recorder.FirstBytes.Length);
                        return;
                    }
                }
                catch (Exception ex) when (ex is AuthenticationException || ex is IOException || ex is SocketException || ex is ObjectDisposedException)
                {
                    Describe(result, certificate);
                    explanation.TlsFailed(result, ex, certificate, recorder.FirstBytes);
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
                DescribeHttp(result, reader);
                explanation.HttpEnded(result, reader, finished);
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

        /// <summary>What the server answered, cleaned for display: it comes from the server.</summary>
        private static void DescribeHttp(ProbeResult result, HttpResponseReader reader)
        {
            result.HttpStatusCode = reader.StatusCode;
            result.HttpReason = Printable.Clean(reader.Reason, HeaderValueChars);
            result.ServerHeader = Printable.Clean(reader.Headers.TryGetValue("Server", out string? server) ? server : null, HeaderValueChars);
            result.ContentType = Printable.Clean(reader.Headers.TryGetValue("Content-Type", out string? type) ? type : null, HeaderValueChars);
            if (reader.HeadComplete)
            {
                result.BodyPreview = Printable.Fold(Encoding.UTF8.GetString(reader.Body), reader.BodyCut || !reader.BodyComplete);
            }
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
