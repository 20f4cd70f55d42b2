using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace PostureSync.IseDouble
{
    /// <summary>One request as the double saw it (never its Authorization header).</summary>
    public sealed record SeenRequest(string Method, string Target, string Accept, string User);

    /// <summary>
    /// A loopback HTTPS double of ISE's ERS, Open API and MnT APIs (ISE-API.md §8) on 127.0.0.1 and a free port, with a
    /// self-signed certificate made at start. HTTP/1.1 with keep-alive, written on a raw TLS stream so that it can also
    /// misbehave as ISE does: slow answers, bodies cut short, huge bodies, 429s, HTML where JSON belongs.
    /// </summary>
    public sealed class IseDoubleServer : IDisposable
    {
        public const string UserName = "ers-operator";
        public const string Password = "S3cret-Posture!";

        /// <summary>A valid user with no ERS group: every request is 403.</summary>
        public const string DeniedUser = "no-ers-group";

        /// <summary>ERS only: the Open API policy and MnT are 403 (an account that cannot read policy).</summary>
        public const string NoPolicyUser = "ers-only";

        public const string TomcatUnauthorized = "<!doctype html><html lang=\"en\"><head><title>HTTP Status 401 \u2013 Unauthorized</title></head><body><h1>HTTP Status 401 \u2013 Unauthorized</h1></body></html>";

        private readonly TcpListener listener;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly X509Certificate2 certificate;
        private int inFlight;
        private int maxInFlight;
        private int requestCount;
        private int throttledLeft;

        private IseDoubleServer(IseDeployment deployment)
        {
            Deployment = deployment;
            certificate = MakeCertificate();
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = AcceptLoopAsync();
        }

        public IseDeployment Deployment { get; }

        public int Port { get; }

        /// <summary>host:port for -Server.</summary>
        public string Server => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

        /// <summary>SHA-1 thumbprint of the double's certificate, for -CertificateThumbprint.</summary>
        public string Thumbprint => certificate.Thumbprint;

        public ConcurrentQueue<SeenRequest> Requests { get; } = new ConcurrentQueue<SeenRequest>();

        public int RequestCount => Volatile.Read(ref requestCount);

        /// <summary>The most requests the double was answering at one time.</summary>
        public int MaxInFlight => Volatile.Read(ref maxInFlight);

        /// <summary>ERS disabled behind the gateway: every /ers path answers 200 with an HTML login page.</summary>
        public bool ErsDisabled { get; set; }

        /// <summary>ISE 3.1 GA: no /api/v1/deployment/node, so PSNs come from ERS sessionservicenode.</summary>
        public bool Ise31Ga { get; set; }

        /// <summary>What a page past the last one answers: 400, 404 or 500 (all seen on some release).</summary>
        public int PastEndStatus { get; set; } = 404;

        /// <summary>Leave nextPage out of every page (reported on old releases).</summary>
        public bool OmitNextPage { get; set; }

        /// <summary>Wait this long before answering (a slow or hanging server).</summary>
        public TimeSpan Delay { get; set; }

        /// <summary>Added to each answer's wait, so concurrency shows in <see cref="MaxInFlight"/>.</summary>
        public TimeSpan Latency { get; set; }

        /// <summary>Announce the whole body, send half, close.</summary>
        public bool TruncateBodies { get; set; }

        /// <summary>Answer every JSON request with a well-formed body of this many bytes (0: off), without Content-Length.</summary>
        public long HugeBodyBytes { get; set; }

        /// <summary>This host is no MnT node: MnT answers 500 "not a MnT node".</summary>
        public bool NotMntNode { get; set; }

        public static IseDoubleServer Start(IseDeployment? deployment = null) => new IseDoubleServer(deployment ?? IseDeployment.Standard());

        /// <summary>The next <paramref name="count"/> requests get 429 with Retry-After: 0.</summary>
        public void Throttle(int count) => Volatile.Write(ref throttledLeft, count);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            certificate.Dispose();
        }

        private static X509Certificate2 MakeCertificate()
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=ise-pan1.example.test, O=PostureSync Tests", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("ise-pan1.example.test");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
            return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
        }

        private async Task AcceptLoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    return;
                }

                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    using var tls = new SslStream(client.GetStream(), false);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop.Token).ConfigureAwait(false);
                    while (!stop.IsCancellationRequested)
                    {
                        string? head = await ReadHeadAsync(tls, stop.Token).ConfigureAwait(false);
                        if (head is null)
                        {
                            return;
                        }

                        bool keepOpen = await AnswerAsync(tls, head).ConfigureAwait(false);
                        if (!keepOpen)
                        {
                            return;
                        }
                    }
                }
                catch (Exception)
                {
                    // A client that hangs up, times out or refuses the certificate is what several tests are about.
                }
            }
        }

        private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken token)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (head.Length < 16384)
            {
                if (await stream.ReadAsync(one, token).ConfigureAwait(false) != 1)
                {
                    return null;
                }

                head.Append((char)one[0]);
                if (head.Length >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
                {
                    return head.ToString();
                }
            }

            return null;
        }

        private async Task<bool> AnswerAsync(Stream stream, string head)
        {
            string[] lines = head.Split("\r\n");
            string[] start = lines[0].Split(' ');
            string method = start[0];
            string target = start.Length > 1 ? start[1] : "/";
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1).Where(l => l.Contains(':')))
            {
                headers[line.Substring(0, line.IndexOf(':')).Trim()] = line.Substring(line.IndexOf(':') + 1).Trim();
            }

            string user = UserOf(headers, out bool authenticated);
            Requests.Enqueue(new SeenRequest(method, target, headers.GetValueOrDefault("Accept") ?? string.Empty, user));
            Interlocked.Increment(ref requestCount);
            int now = Interlocked.Increment(ref inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref maxInFlight)) && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen)
            {
            }

            try
            {
                if (Delay > TimeSpan.Zero || Latency > TimeSpan.Zero)
                {
                    await Task.Delay(Delay + Latency, stop.Token).ConfigureAwait(false);
                }

                Reply reply = Route(method, target, headers, user, authenticated);
                return await WriteAsync(stream, reply).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        private static string UserOf(Dictionary<string, string> headers, out bool authenticated)
        {
            authenticated = false;
            if (!headers.TryGetValue("Authorization", out string? value) || !value.StartsWith("Basic ", StringComparison.Ordinal))
            {
                return string.Empty;
            }

            string pair;
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(value.Substring(6)));
            }
            catch (FormatException)
            {
                return string.Empty;
            }

            int colon = pair.IndexOf(':');
            string user = colon < 0 ? pair : pair.Substring(0, colon);
            string password = colon < 0 ? string.Empty : pair.Substring(colon + 1);
            authenticated = password == Password && (user == UserName || user == DeniedUser || user == NoPolicyUser);
            return user;
        }

        private sealed record Reply(int Status, string ContentType, byte[] Body, string? Extra = null);

        private static Reply Json(int status, JsonNode body) => new Reply(status, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()));

        private static Reply Xml(int status, string body) => new Reply(status, "application/xml", Encoding.UTF8.GetBytes(body));

        private Reply Route(string method, string target, Dictionary<string, string> headers, string user, bool authenticated)
        {
            int query = target.IndexOf('?');
            string path = Uri.UnescapeDataString(query < 0 ? target : target.Substring(0, query));
            Dictionary<string, string> args = (query < 0 ? string.Empty : target.Substring(query + 1)).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty, StringComparer.OrdinalIgnoreCase);
            bool ers = path.StartsWith("/ers/", StringComparison.Ordinal);
            bool mnt = path.StartsWith("/admin/API/mnt/", StringComparison.Ordinal);

            if (ers && ErsDisabled)
            {
                return new Reply(200, "text/html", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>Identity Services Engine</title></head><body><form action=\"/admin/LoginAction.do\">Login</form></body></html>"));
            }

            if (!authenticated)
            {
                return ers ? new Reply(401, "text/html", Encoding.UTF8.GetBytes(TomcatUnauthorized), "WWW-Authenticate: Basic realm=\"ISE\"") : new Reply(401, "text/plain", Array.Empty<byte>());
            }

            if (method != "GET" || user == DeniedUser || (user == NoPolicyUser && (mnt || path.StartsWith("/api/v1/policy", StringComparison.Ordinal))))
            {
                return new Reply(403, ers ? "application/json" : "text/plain", Array.Empty<byte>());
            }

            if (Interlocked.Decrement(ref throttledLeft) >= 0)
            {
                return new Reply(429, "text/plain", Array.Empty<byte>(), "Retry-After: 0");
            }

            if (HugeBodyBytes > 0 && !mnt)
            {
                return new Reply(200, "application/json", Array.Empty<byte>(), "X-Huge: 1");
            }

            if (mnt)
            {
                return Mnt(path);
            }

            string accept = headers.GetValueOrDefault("Accept") ?? string.Empty;
            if (ers && !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
            {
                // ERS speaks namespaced XML unless asked for JSON (ISE-API.md §1.3).
                return Xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><ns3:searchResult xmlns:ns3=\"v2.ers.ise.cisco.com\" total=\"0\"/>");
            }

            return ers ? Ers(path, args) : OpenApi(path);
        }

        private Reply Ers(string path, Dictionary<string, string> args)
        {
            string[] parts = path.Substring("/ers/config/".Length).Split('/');
            string resource = parts[0];
            IEnumerable<(string Id, string Name, JsonObject Body)> items = resource switch
            {
                "downloadableacl" => Deployment.Dacls.Select(d => (d.Id, d.Name, new JsonObject
                {
                    ["DownloadableAcl"] = new JsonObject
                    {
                        ["id"] = d.Id, ["name"] = d.Name, ["description"] = d.Description, ["dacl"] = d.Wire, ["daclType"] = d.DaclType,
                        ["link"] = Link("/ers/config/downloadableacl/" + d.Id),
                    },
                })),
                "authorizationprofile" => Deployment.Profiles.Select(p => (p.Id, p.Name, ProfileBody(p))),
                "sessionservicenode" => Deployment.Psns.Select(n => (n.Id, n.Hostname, new JsonObject
                {
                    ["SessionServiceNode"] = new JsonObject { ["id"] = n.Id, ["name"] = n.Hostname, ["description"] = "PSN with Session Service", ["ipAddress"] = n.IpAddress, ["gateWay"] = "127.0.0.1" },
                })),
                "node" => Deployment.Nodes.Select(n => (n.Id, n.Hostname, NodeBody(n))),
                _ => Enumerable.Empty<(string, string, JsonObject)>(),
            };
            List<(string Id, string Name, JsonObject Body)> all = items.ToList();
            if (all.Count == 0 && resource != "downloadableacl")
            {
                return ErsError(404, "Resource not found exception", withTitle: true);
            }

            if (parts.Length == 1)
            {
                return Page(resource, all, args);
            }

            (string Id, string Name, JsonObject Body) hit = parts.Length == 3 && parts[1] == "name"
                ? all.FirstOrDefault(i => i.Name == parts[2])
                : all.FirstOrDefault(i => i.Id == parts[1]);
            return hit.Body is null ? ErsError(404, "Resource not found exception", withTitle: parts.Length == 2) : Json(200, hit.Body);
        }

        private Reply Page(string resource, List<(string Id, string Name, JsonObject Body)> all, Dictionary<string, string> args)
        {
            int size = args.TryGetValue("size", out string? s) && int.TryParse(s, out int sz) ? sz : 20;
            int page = args.TryGetValue("page", out string? p) && int.TryParse(p, out int pg) ? pg : 1;
            if (size < 1 || size > 100 || page < 1)
            {
                return ErsError(400, "QUERY_VALIDATION_EXCEPTION", withTitle: true);
            }

            int pages = Math.Max(1, (all.Count + size - 1) / size);
            if (page > pages)
            {
                return PastEndStatus == 400 ? ErsError(400, "QUERY_VALIDATION_EXCEPTION", withTitle: true)
                    : PastEndStatus == 500 ? ErsError(500, "CRUD_OPERATION_EXCEPTION", withTitle: false)
                    : ErsError(404, "Resource not found exception", withTitle: false);
            }

            var resources = new JsonArray(all.Skip((page - 1) * size).Take(size)
                .Select(i => (JsonNode)new JsonObject { ["id"] = i.Id, ["name"] = i.Name, ["description"] = resource + " " + i.Name, ["link"] = Link("/ers/config/" + resource + "/" + i.Id) }).ToArray());
            var result = new JsonObject { ["total"] = all.Count, ["resources"] = resources };

            // Hrefs name another host and port, as real ones may (ISE-API.md §7.10): a client must use only the query.
            if (page < pages && !OmitNextPage)
            {
                result["nextPage"] = new JsonObject { ["rel"] = "next", ["href"] = "https://ise-pan1.example.test:9060/ers/config/" + resource + "?size=" + size + "&page=" + (page + 1), ["type"] = "application/json" };
            }

            if (page > 1)
            {
                result["previousPage"] = new JsonObject { ["rel"] = "previous", ["href"] = "https://ise-pan1.example.test:9060/ers/config/" + resource + "?size=" + size + "&page=" + (page - 1), ["type"] = "application/json" };
            }

            return Json(200, new JsonObject { ["SearchResult"] = result });
        }

        private static JsonObject ProfileBody(DoubleProfile p)
        {
            var body = new JsonObject
            {
                ["id"] = p.Id, ["name"] = p.Name, ["description"] = p.Name, ["accessType"] = p.AccessType, ["authzProfileType"] = "SWITCH",
                ["trackMovement"] = false, ["profileName"] = "Cisco", ["link"] = Link("/ers/config/authorizationprofile/" + p.Id),
            };
            if (p.DaclName != null)
            {
                body["daclName"] = p.DaclName;
            }

            if (p.Ipv6DaclName != null)
            {
                body["ipv6DaclName"] = p.Ipv6DaclName;
            }

            return new JsonObject { ["AuthorizationProfile"] = body };
        }

        /// <summary>ERS node carries the node's admin credentials too (ISE-API.md §2.3): a client must never echo them.</summary>
        private static JsonObject NodeBody(DoubleNode n) => new JsonObject
        {
            ["Node"] = new JsonObject
            {
                ["id"] = n.Id, ["name"] = n.Hostname, ["displayName"] = n.Hostname, ["gateWay"] = "127.0.0.1", ["inDeployment"] = true,
                ["ipAddress"] = n.IpAddress, ["ipAddresses"] = new JsonArray(n.IpAddresses.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["ipV6Address"] = n.Ipv6Address, ["fqdn"] = n.Fqdn, ["nodeServiceTypes"] = string.Join(",", n.Services),
                ["userName"] = "admin", ["passWord"] = "NodePassw0rd-never-shown",
            },
        };

        private Reply OpenApi(string path)
        {
            const string Policy = "/api/v1/policy/network-access/";
            if (path == "/api/v1/deployment/node")
            {
                if (Ise31Ga)
                {
                    return Json(404, new JsonObject { ["error"] = new JsonObject { ["message"] = "Not Found" }, ["version"] = "1.0.0" });
                }

                return Json(200, new JsonObject
                {
                    ["response"] = new JsonArray(Deployment.Nodes.Select(n => (JsonNode)new JsonObject
                    {
                        ["hostname"] = n.Hostname, ["fqdn"] = n.Fqdn, ["ipAddress"] = n.IpAddress,
                        ["roles"] = new JsonArray(n.Roles.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
                        ["services"] = new JsonArray(n.Services.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
                        ["nodeStatus"] = n.NodeStatus,
                    }).ToArray()),
                    ["version"] = "1.0.0",
                });
            }

            if (!path.StartsWith(Policy, StringComparison.Ordinal))
            {
                return Json(404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" });
            }

            string[] parts = path.Substring(Policy.Length).Split('/');
            if (parts[0] == "condition" && parts.Length == 2)
            {
                return Deployment.LibraryConditions.TryGetValue(parts[1], out JsonObject? condition)
                    ? Json(200, new JsonObject { ["version"] = "1.0.0", ["response"] = condition.DeepClone() })
                    : Json(404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" });
            }

            if (parts[0] != "policy-set")
            {
                return Json(404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" });
            }

            if (parts.Length == 1)
            {
                return Json(200, new JsonObject
                {
                    ["version"] = "1.0.0",
                    ["response"] = new JsonArray(Deployment.PolicySets.Select(s => (JsonNode)new JsonObject
                    {
                        ["default"] = false, ["id"] = s.Id, ["name"] = s.Name, ["description"] = null, ["hitCounts"] = 0, ["rank"] = s.Rank, ["state"] = s.State,
                        ["condition"] = null, ["serviceName"] = "Default Network Access", ["isProxy"] = false, ["link"] = Link("/api/v1/policy/network-access/policy-set/" + s.Id),
                    }).ToArray()),
                });
            }

            if (parts.Length == 2 && parts[1] == "global-exception")
            {
                return RuleList(Deployment.GlobalExceptions);
            }

            DoublePolicySet? set = Deployment.PolicySets.FirstOrDefault(s => s.Id == parts[1]);
            if (set is null || parts.Length != 3)
            {
                return Json(404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" });
            }

            return parts[2] switch
            {
                "authorization" => RuleList(set.Rules),
                "exception" => RuleList(set.Exceptions),
                _ => Json(404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" }),
            };
        }

        private static Reply RuleList(IEnumerable<JsonObject> items) =>
            Json(200, new JsonObject { ["version"] = "1.0.0", ["response"] = new JsonArray(items.Select(i => i.DeepClone()).ToArray()) });

        private Reply Mnt(string path)
        {
            if (NotMntNode)
            {
                return MntError("This host is not a MnT node. MnT REST APIs can not be executed on this node.");
            }

            if (path == "/admin/API/mnt/Version")
            {
                return Xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><product name=\"Cisco Identity Services Engine\"><version>3.3.0.430</version><type_of_node>1</type_of_node></product>");
            }

            const string ByMac = "/admin/API/mnt/Session/MACAddress/";
            if (!path.StartsWith(ByMac, StringComparison.Ordinal))
            {
                return Xml(404, string.Empty);
            }

            string mac = path.Substring(ByMac.Length);
            if (!Deployment.Sessions.TryGetValue(mac, out DoubleSession? session))
            {
                // Real ISE says "no session" with a 500 (ISE-API.md §1.7) [inferred].
                return MntError("Session data is not available for " + mac + ".");
            }

            var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sessionParameters>\n");
            xml.Append("    <passed xsi:type=\"xs:boolean\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">true</passed>\n");
            foreach (KeyValuePair<string, string> field in session.Fields)
            {
                xml.Append("    <").Append(field.Key).Append('>').Append(SecurityElement.Escape(field.Value)).Append("</").Append(field.Key).Append(">\n");
            }

            xml.Append("</sessionParameters>\n");
            return Xml(200, xml.ToString());
        }

        private static Reply MntError(string info) => Xml(500,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><mnt-rest-result><http-code>500</http-code><cpm-code>34110</cpm-code>" +
            "<description>Server has encountered error while processing the REST request</description><module-name>MnT</module-name>" +
            "<internal-error-info>" + SecurityElement.Escape(info) + "</internal-error-info><status>SERVER_ERROR</status></mnt-rest-result>");

        private static Reply ErsError(int status, string code, bool withTitle)
        {
            var message = new JsonObject { ["type"] = "ERROR", ["code"] = code };
            if (withTitle)
            {
                message["title"] = code + " (double)";
            }

            return Json(status, new JsonObject
            {
                ["ERSResponse"] = new JsonObject { ["operation"] = "GET-double", ["messages"] = new JsonArray(message), ["link"] = Link("/ers/config") },
            });
        }

        private static JsonObject Link(string path) => new JsonObject { ["rel"] = "self", ["href"] = "https://ise-pan1.example.test" + path, ["type"] = "application/json" };

        private async Task<bool> WriteAsync(Stream stream, Reply reply)
        {
            var head = new StringBuilder();
            head.Append("HTTP/1.1 ").Append(reply.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(reply.Status == 200 ? "OK" : "Status").Append("\r\n");
            head.Append("Server: IseDouble\r\nContent-Type: ").Append(reply.ContentType).Append(";charset=utf-8\r\n");
            bool huge = reply.Extra == "X-Huge: 1";
            if (reply.Extra != null && !huge)
            {
                head.Append(reply.Extra).Append("\r\n");
            }

            if (huge)
            {
                // No length: the client must stop reading on its own bound.
                head.Append("Connection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), stop.Token).ConfigureAwait(false);
                byte[] chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                await stream.WriteAsync(Encoding.ASCII.GetBytes("{\"pad\":\""), stop.Token).ConfigureAwait(false);
                for (long sent = 0; sent < HugeBodyBytes; sent += chunk.Length)
                {
                    await stream.WriteAsync(chunk, stop.Token).ConfigureAwait(false);
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes("\"}"), stop.Token).ConfigureAwait(false);
                return false;
            }

            head.Append("Content-Length: ").Append(reply.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), stop.Token).ConfigureAwait(false);
            if (TruncateBodies && reply.Body.Length > 1)
            {
                await stream.WriteAsync(reply.Body.AsMemory(0, reply.Body.Length / 2), stop.Token).ConfigureAwait(false);
                await stream.FlushAsync(stop.Token).ConfigureAwait(false);
                return false;
            }

            await stream.WriteAsync(reply.Body, stop.Token).ConfigureAwait(false);
            await stream.FlushAsync(stop.Token).ConfigureAwait(false);
            return true;
        }
    }
}
