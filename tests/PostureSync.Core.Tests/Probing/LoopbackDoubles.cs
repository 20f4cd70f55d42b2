using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Net;

namespace PostureSync.Core.Tests.Probing
{
    /// <summary>
    /// A listening socket whose accept queue is full: it never accepts, and one connection fills a backlog of 0, so
    /// the kernel drops every further SYN and a connect hangs until the client gives up, as behind a dACL deny.
    /// </summary>
    internal sealed class FilteredListener : IDisposable
    {
        private readonly Socket listener;
        private readonly Socket filler;

        public FilteredListener(IPAddress address)
        {
            listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(address, 0));
            listener.Listen(0);
            EndPoint = (IPEndPoint)listener.LocalEndPoint!;
            filler = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            filler.Connect(EndPoint);
        }

        public IPEndPoint EndPoint { get; }

        public int Port => EndPoint.Port;

        public void Dispose()
        {
            filler.Dispose();
            listener.Dispose();
        }
    }

    /// <summary>A port on which nothing listens: connects are refused with a reset.</summary>
    internal static class ClosedPort
    {
        public static int Find(IPAddress address)
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(address, 0));
            return ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
    }

    /// <summary>
    /// A loopback TCP server that runs a handler per connection. Counts connections and the bytes each one sent,
    /// so tests can check what the client did and did not send.
    /// </summary>
    internal sealed class LoopbackServer : IDisposable
    {
        private readonly TcpListener listener;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly Func<NetworkStream, CancellationToken, Task> handler;
        private readonly List<Task> sessions = new List<Task>();

        public LoopbackServer(IPAddress address, Func<NetworkStream, CancellationToken, Task> handler)
        {
            this.handler = handler;
            listener = new TcpListener(address, 0);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = AcceptLoopAsync();
        }

        public int Port { get; }

        public int Connections;

        private async Task AcceptLoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                Interlocked.Increment(ref Connections);
                lock (sessions)
                {
                    sessions.Add(RunAsync(client));
                }
            }
        }

        private async Task RunAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    await handler(client.GetStream(), stop.Token);
                }
                catch (Exception)
                {
                    // The client hanging up early is what several tests are about.
                }
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }

        /// <summary>Accepts and reads what the client sends until it closes; records the byte count.</summary>
        public static LoopbackServer Counting(IPAddress address, ConcurrentBag<int> bytesPerConnection) =>
            new LoopbackServer(address, async (stream, token) =>
            {
                var buffer = new byte[1024];
                int total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer, token)) > 0)
                {
                    total += read;
                }

                bytesPerConnection.Add(total);
            });
    }

    /// <summary>How a TLS double answers the GET it reads.</summary>
    internal sealed class TlsBehaviour
    {
        public byte[] Response { get; set; } = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nServer: LoopbackIse\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");

        /// <summary>Delay before each response byte, to play a server that dribbles.</summary>
        public TimeSpan PerByteDelay { get; set; } = TimeSpan.Zero;

        /// <summary>Close after this many response bytes (a server dying mid-response).</summary>
        public int? CloseAfterBytes { get; set; }

        /// <summary>Complete the TCP accept but never answer the TLS hello.</summary>
        public bool Silent { get; set; }
    }

    /// <summary>A TLS server on loopback with a test-made certificate; records the SNI name and the request head.</summary>
    internal sealed class TlsServer : IDisposable
    {
        private readonly LoopbackServer server;

        public TlsServer(IPAddress address, X509Certificate2 certificate, TlsBehaviour behaviour)
        {
            server = new LoopbackServer(address, async (stream, token) =>
            {
                if (behaviour.Silent)
                {
                    await Task.Delay(Timeout.Infinite, token);
                }

                using var tls = new SslStream(stream, false);
                var options = new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (sender, name) =>
                    {
                        ServerName = name;
                        return certificate;
                    },
                };
                await tls.AuthenticateAsServerAsync(options, token);
                Request = await ReadHeadAsync(tls, token);
                byte[] response = behaviour.Response;
                int limit = Math.Min(response.Length, behaviour.CloseAfterBytes ?? response.Length);
                if (behaviour.PerByteDelay > TimeSpan.Zero)
                {
                    for (int i = 0; i < limit; i++)
                    {
                        await tls.WriteAsync(response.AsMemory(i, 1), token);
                        await tls.FlushAsync(token);
                        await Task.Delay(behaviour.PerByteDelay, token);
                    }
                }
                else
                {
                    await tls.WriteAsync(response.AsMemory(0, limit), token);
                    await tls.FlushAsync(token);
                }
            });
        }

        public int Port => server.Port;

        public int Connections => server.Connections;

        public string? ServerName { get; private set; }

        public string? Request { get; private set; }

        public void Dispose() => server.Dispose();

        internal static async Task<string> ReadHeadAsync(Stream stream, CancellationToken token)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, token) == 1)
            {
                head.Append((char)one[0]);
            }

            return head.ToString();
        }
    }

    /// <summary>Self-signed certificates made by the test, with the names and dates each case needs.</summary>
    internal static class TestCertificates
    {
        public static X509Certificate2 Create(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + commonName + ", O=PostureSync Tests", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                san.AddDnsName(name);
            }

            foreach (IPAddress address in addresses)
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            using X509Certificate2 made = request.CreateSelfSigned(notBefore, notAfter);

            // Through PKCS#12 so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
        }

        public static X509Certificate2 Valid(string name) =>
            Create(name, new[] { name }, new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        public static X509Certificate2 Expired(string name) =>
            Create(name, new[] { name }, new[] { IPAddress.Loopback }, DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1));
    }

    internal static class Resolvers
    {
        /// <summary>A resolver that knows only the given names; everything else is unresolved, with no DNS traffic.</summary>
        public static HostsFileResolver Of(params (string Name, string Address)[] entries)
        {
            var list = new List<KeyValuePair<string, IPAddress>>();
            foreach ((string name, string address) in entries)
            {
                list.Add(new KeyValuePair<string, IPAddress>(name, IPAddress.Parse(address)));
            }

            return new HostsFileResolver(list);
        }
    }
}
