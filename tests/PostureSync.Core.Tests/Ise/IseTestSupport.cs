using System;
using System.Net;
using System.Threading;
using PostureSync.Core.Ise;
using PostureSync.IseDouble;

namespace PostureSync.Core.Tests.Ise
{
    internal static class IseTestSupport
    {
        public static IseRestClient Client(IseDoubleServer server, string user = IseDoubleServer.UserName, string password = IseDoubleServer.Password,
            bool skip = true, string? thumbprint = null, TimeSpan? timeout = null, long maxBody = IseClientOptions.DefaultMaxBodyBytes) =>
            new IseRestClient(new IseClientOptions("127.0.0.1", server.Port, new NetworkCredential(user, password))
            {
                SkipCertificateCheck = skip,
                CertificateThumbprint = thumbprint,
                Timeout = timeout ?? TimeSpan.FromSeconds(20),
                MaxBodyBytes = maxBody,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            });

        public static IseReader Reader(IseRestClient client, CancellationToken cancellation = default, int? throttle = null) =>
            new IseReader(client, null, cancellation, null, throttle);
    }
}
