using System.Globalization;

namespace PostureSync.Core.Net
{
    /// <summary>How a host and port are written in every message and result: <c>host:port</c>, <c>[v6]:port</c>.</summary>
    internal static class EndpointText
    {
        /// <summary><c>10.1.1.1:8449</c>, <c>psn1:8449</c>, <c>[2001:db8::1]:8449</c> (brackets so the port stays readable, as in URLs).</summary>
        public static string Format(string host, int port) => Host(host) + ":" + port.ToString(CultureInfo.InvariantCulture);

        /// <summary>The host as it goes before a port or into an HTTP Host header: an IPv6 address in brackets.</summary>
        public static string Host(string host) => host.IndexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
