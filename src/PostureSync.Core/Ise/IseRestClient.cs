using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Net;

namespace PostureSync.Core.Ise
{
    /// <summary>Which ISE API a request goes to: it decides the Accept header and what a good answer looks like.</summary>
    internal enum IseApi
    {
        /// <summary>ERS (<c>/ers/config</c>): JSON only when asked for with Accept (ISE-API.md §1.3).</summary>
        Ers,

        /// <summary>Open API (<c>/api/v1</c>): JSON.</summary>
        OpenApi,

        /// <summary>Monitoring (<c>/admin/API/mnt</c>): XML.</summary>
        Mnt,
    }

    /// <summary>How to reach one ISE node. The credential stays here; nothing that is written out holds it.</summary>
    internal sealed class IseClientOptions
    {
        public const int DefaultThrottleLimit = 4;

        /// <summary>The most requests the commands let be in flight at once against one node.</summary>
        public const int MaxThrottleLimit = 64;

        /// <summary>The default bound on one request, in seconds, and the shortest the commands take.</summary>
        public const double DefaultTimeoutSec = 30;
        public const double MinTimeoutSec = 0.1;
        public const long DefaultMaxBodyBytes = 16L * 1024 * 1024;

        public IseClientOptions(string host, int port, NetworkCredential credential)
        {
            Host = host;
            Port = port;
            Credential = credential;
        }

        public string Host { get; }

        public int Port { get; }

        public NetworkCredential Credential { get; }

        public bool SkipCertificateCheck { get; set; }

        /// <summary>SHA-1 (40 hex) or SHA-256 (64 hex) of the certificate to accept whatever its chain says.</summary>
        public string? CertificateThumbprint { get; set; }

        /// <summary>The default of the commands that use this connection.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(DefaultTimeoutSec);

        /// <summary>The default requests in flight at once of the commands that use this connection; ISE rate-limits ERS (ISE-API.md §1.6).</summary>
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        public long MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

        /// <summary>Retries of one request answered 429 or 503.</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>First backoff; it doubles per retry. A Retry-After header wins, up to <see cref="MaxRetryDelay"/>.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

        public string Server => EndpointText.Format(Host, Port);
    }

    /// <summary>One answer: status, media type and the whole (bounded) body.</summary>
    internal sealed class IseResponse
    {
        public IseResponse(string path, int status, string? mediaType, byte[] body)
        {
            Path = path;
            Status = status;
            MediaType = mediaType;
            Body = body;
        }

        public string Path { get; }

        public int Status { get; }

        public string? MediaType { get; }

        public byte[] Body { get; }

        /// <summary>The server's Retry-After on a 429 or 503.</summary>
        public TimeSpan? RetryAfter { get; set; }

        public bool IsHtml => MediaType != null && MediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0
            || (MediaType is null && LooksLikeHtml());

        public bool IsJson => MediaType != null && MediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;

        public bool IsXml => MediaType != null && MediaType.IndexOf("xml", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>The first characters of the body for a message, with control characters removed (the text is untrusted).</summary>
        public string Preview(int length = 120)
        {
            string text = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, length * 4));
            var clean = new StringBuilder();
            foreach (char c in text)
            {
                if (clean.Length >= length)
                {
                    break;
                }

                clean.Append(char.IsControl(c) ? ' ' : c);
            }

            return clean.ToString().Trim();
        }

        private bool LooksLikeHtml() => Preview(64).StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || Preview(64).StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The HTTPS client for ISE's REST APIs: GET only, TLS validated unless the caller pins a thumbprint or skips the
    /// check, bounded bodies, bounded retries on 429/503, a timeout per request and cancellation. How many requests
    /// are in flight is each command's <see cref="IseReader"/>'s business.
    /// </summary>
    internal sealed class IseRestClient : IDisposable
    {
        private readonly HttpClient http;
        private readonly string authorization;
        private int requestCount;
        private string? rejectedCertificate;

        public IseRestClient(IseClientOptions options)
        {
            Options = options;
            authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Credential.UserName + ":" + options.Credential.Password));
            var handler = new HttpClientHandler
            {
                // Redirects would carry the request elsewhere; ISE's answer to an API call is never a redirect.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,

                // HttpClientHandler.ServerCertificateCustomValidationCallback needs .NET Framework 4.7.1 or later under
                // Windows PowerShell 5.1 (and any .NET Core / .NET under PowerShell 7).
                ServerCertificateCustomValidationCallback = ValidateCertificate,
            };
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                // ERS speaks TLS 1.1/1.2 (ISE-API.md §1.5); old .NET Framework defaults may still offer only TLS 1.0.
                handler.SslProtocols = SslProtocols.Tls12;
            }

            http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("PostureSync", typeof(IseRestClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        }

        public IseClientOptions Options { get; }

        /// <summary>Requests sent, retries included.</summary>
        public int RequestCount => Volatile.Read(ref requestCount);

        public void Dispose()
        {
            http.Dispose();
        }

        /// <summary>
        /// One GET of <paramref name="pathAndQuery"/>. 401, 403, HTML where an API answer belongs, timeouts, TLS and
        /// transport failures become <see cref="PostureSyncException"/>s; every other status comes back to the caller,
        /// which knows what a 404 or a 500 means for its resource.
        /// </summary>
        public async Task<IseResponse> GetAsync(string pathAndQuery, IseApi api, TimeSpan timeout, Action<string>? log, CancellationToken cancellation)
        {
            for (int attempt = 0; ; attempt++)
            {
                IseResponse response = await SendOnceAsync(pathAndQuery, api, timeout, log, cancellation).ConfigureAwait(false);
                if ((response.Status == 429 || response.Status == 503) && attempt < Options.MaxRetries)
                {
                    TimeSpan delay = Backoff(attempt, response);
                    log?.Invoke(string.Format(CultureInfo.InvariantCulture, "ISE answered {0} with HTTP {1}; retry {2} of {3} in {4:0.###} s.",
                        pathAndQuery, response.Status, attempt + 1, Options.MaxRetries, delay.TotalSeconds));
                    await Task.Delay(delay, cancellation).ConfigureAwait(false);
                    continue;
                }

                return Check(response, api);
            }
        }

        private IseResponse Check(IseResponse response, IseApi api)
        {
            string path = response.Path;
            switch (response.Status)
            {
                case 401:
                    throw IseErrors.Authentication(Options.Server, Options.Credential.UserName);
                case 403:
                    throw IseErrors.Denied(Options.Server, Options.Credential.UserName, path);
                case 429:
                case 503:
                    throw IseErrors.Status(path, response.Status, $"still refused after {Options.MaxRetries} retries");
            }

            if (response.Status >= 300 && response.Status < 400)
            {
                throw IseErrors.Disabled(Options.Server, path, "a redirect (HTTP " + response.Status.ToString(CultureInfo.InvariantCulture) + ")");
            }

            // ISE 3.0 and a disabled ERS behind the gateway answer with an HTML page, even with 200 (ISE-API.md §1.7).
            if (response.IsHtml && (response.Status == 200 || response.Status == 404))
            {
                throw IseErrors.Disabled(Options.Server, path, "an HTML page");
            }

            if (response.Status == 200)
            {
                bool fits = api == IseApi.Mnt ? response.IsXml : response.IsJson;
                if (!fits)
                {
                    throw IseErrors.Invalid(path, "it is '" + (response.MediaType ?? "no media type") + "', not " + (api == IseApi.Mnt ? "XML" : "JSON"));
                }
            }

            return response;
        }

        private TimeSpan Backoff(int attempt, IseResponse response)
        {
            TimeSpan delay = response.RetryAfter ?? TimeSpan.FromTicks(Options.RetryBaseDelay.Ticks << Math.Min(attempt, 10));
            return delay > Options.MaxRetryDelay ? Options.MaxRetryDelay : delay;
        }

        private async Task<IseResponse> SendOnceAsync(string pathAndQuery, IseApi api, TimeSpan limit, Action<string>? log, CancellationToken cancellation)
        {
            var uri = new Uri("https://" + Options.Server + pathAndQuery);
            using var timeout = new CancellationTokenSource(limit);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(api == IseApi.Mnt ? "application/xml" : "application/json"));
                Interlocked.Increment(ref requestCount);
                log?.Invoke("GET " + uri.GetLeftPart(UriPartial.Path) + uri.Query);
                using HttpResponseMessage answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                byte[] body = await ReadBoundedAsync(answer, pathAndQuery, linked.Token).ConfigureAwait(false);
                return new IseResponse(pathAndQuery, (int)answer.StatusCode, answer.Content.Headers.ContentType?.MediaType, body)
                {
                    RetryAfter = RetryAfterOf(answer),
                };
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                throw IseErrors.TimedOut(Options.Server, pathAndQuery, limit);
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested && (ex is HttpRequestException || ex is IOException || ex is AuthenticationException))
            {
                throw Translate(ex, pathAndQuery);
            }
        }

        private async Task<byte[]> ReadBoundedAsync(HttpResponseMessage answer, string path, CancellationToken cancellation)
        {
            long limit = Options.MaxBodyBytes;
            if (answer.Content.Headers.ContentLength > limit)
            {
                throw IseErrors.Invalid(path, string.Format(CultureInfo.InvariantCulture, "its body of {0} bytes is over the {1}-byte limit", answer.Content.Headers.ContentLength, limit));
            }

            using Stream stream = await answer.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            try
            {
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellation).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        throw IseErrors.Invalid(path, string.Format(CultureInfo.InvariantCulture, "its body is over the {0}-byte limit", limit));
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested && (ex is IOException || ex is HttpRequestException))
            {
                throw IseErrors.Invalid(path, "the body ended before its announced end (" + ex.Message + ")", ex);
            }

            return buffer.ToArray();
        }

        private PostureSyncException Translate(Exception ex, string path)
        {
            string? thumbprint = Interlocked.Exchange(ref rejectedCertificate, null);
            if (thumbprint != null)
            {
                int split = thumbprint.IndexOf('|');
                return IseErrors.Certificate(Options.Server, thumbprint.Substring(split + 1), thumbprint.Substring(0, split));
            }

            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException)
                {
                    return IseErrors.Certificate(Options.Server, e.Message, null);
                }
            }

            return ex is IOException && !(ex.InnerException is System.Net.Sockets.SocketException)
                ? IseErrors.Invalid(path, "the connection ended during the answer (" + ex.Message + ")", ex)
                : IseErrors.NoRoute(Options.Server, ex);
        }

        private bool ValidateCertificate(HttpRequestMessage request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (Options.SkipCertificateCheck)
            {
                return true;
            }

            if (certificate is null)
            {
                rejectedCertificate = "(none)|the server showed no certificate";
                return false;
            }

            string? pin = NormalizeThumbprint(Options.CertificateThumbprint);
            if (pin != null)
            {
                bool pinned = pin.Length == 64 ? pin == Sha256Of(certificate) : pin == certificate.Thumbprint.ToUpperInvariant();
                if (!pinned)
                {
                    rejectedCertificate = certificate.Thumbprint + "|it is not the pinned certificate " + pin;
                }

                return pinned;
            }

            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            rejectedCertificate = certificate.Thumbprint + "|" + Describe(errors);
            return false;
        }

        /// <summary>Hex digits only, upper case; null when none were given.</summary>
        public static string? NormalizeThumbprint(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var hex = new StringBuilder();
            foreach (char c in text!)
            {
                if (Uri.IsHexDigit(c))
                {
                    hex.Append(char.ToUpperInvariant(c));
                }
                else if (c != ':' && c != ' ' && c != '-')
                {
                    return string.Empty;
                }
            }

            return hex.ToString();
        }

        private static string Sha256Of(X509Certificate2 certificate)
        {
            using SHA256 sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(certificate.RawData);
            var hex = new StringBuilder(hash.Length * 2);
            foreach (byte b in hash)
            {
                hex.Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            return hex.ToString();
        }

        private static string Describe(SslPolicyErrors errors)
        {
            var parts = new StringBuilder();
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                parts.Append("its chain is not trusted here");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                parts.Append(parts.Length > 0 ? "; " : string.Empty).Append("it does not name this server");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                parts.Append(parts.Length > 0 ? "; " : string.Empty).Append("it is missing");
            }

            return parts.ToString();
        }

        private static TimeSpan? RetryAfterOf(HttpResponseMessage answer)
        {
            RetryConditionHeaderValue? retry = answer.Headers.RetryAfter;
            if (retry?.Delta is TimeSpan delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retry?.Date is DateTimeOffset date)
            {
                TimeSpan wait = date - DateTimeOffset.UtcNow;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }
    }
}
