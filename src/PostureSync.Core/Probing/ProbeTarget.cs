using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Net;

namespace PostureSync.Core.Probing
{
    /// <summary>A host to test and the port to test it on (the target's own <c>:port</c> wins over the default).</summary>
    internal sealed class ProbeTarget
    {
        public ProbeTarget(string host, int port)
        {
            ProbeLimits.CheckPort(port);
            Host = host;
            Port = port;
        }

        public string Host { get; }

        public int Port { get; }

        /// <summary>Parses <c>host</c>, <c>host:port</c> or <c>[v6]:port</c>; throws InvalidTargetName when it is neither.</summary>
        public static ProbeTarget Parse(string? text, int defaultPort)
        {
            if (!HostPort.TryParse(text, out HostPort? parsed, out string? problem))
            {
                throw new PostureSyncException(
                    ErrorIds.InvalidTargetName,
                    FailureKind.InvalidArgument,
                    "The target '" + text + "' cannot be tested: " + problem + ".",
                    text)
                {
                    RecommendedAction = "Give a host name, an IPv4 address, or an IPv6 address, optionally with :port (IPv6 as [address]:port).",
                };
            }

            return new ProbeTarget(parsed!.Host, parsed.Port ?? defaultPort);
        }

        public override string ToString() =>
            EndpointText.Format(Host, Port);
    }

    /// <summary>The addresses of a target that pass the family filter, or why there are none.</summary>
    internal sealed class TargetAddresses
    {
        private TargetAddresses(IReadOnlyList<IPAddress> addresses, string? problem, bool excluded = false)
        {
            Addresses = addresses;
            Problem = problem;
            Excluded = excluded;
        }

        public IReadOnlyList<IPAddress> Addresses { get; }

        /// <summary>Why no address is left; null when there is at least one.</summary>
        public string? Problem { get; }

        /// <summary>
        /// The target is an address, or a name that resolved, and -AddressFamily left none of its addresses: the user's
        /// choice, reported as excluded, not as a name that does not resolve.
        /// </summary>
        public bool Excluded { get; }

        public static async Task<TargetAddresses> ResolveAsync(
            IHostResolver resolver, string host, AddressFamilyFilter filter, TimeSpan timeout, CancellationToken cancellationToken)
        {
            HostResolution resolution;
            try
            {
                resolution = await resolver.ResolveAsync(host, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // A lookup that fails outright leaves no address to test, like a name that does not resolve: the port
                // scan and the HTTPS probe both report it as Unresolved, with the reason.
                return new TargetAddresses(Array.Empty<IPAddress>(), "'" + host + "' could not be looked up: " + ex.Message);
            }

            if (!resolution.Resolved)
            {
                return new TargetAddresses(Array.Empty<IPAddress>(), "'" + host + "' did not resolve: " + (resolution.Error ?? "no addresses"));
            }

            // Distinct: a hosts file or DNS may repeat an address, and one connect per address is enough.
            IPAddress[] kept = resolution.Addresses.Where(a => Matches(a, filter)).Distinct().ToArray();
            if (kept.Length == 0)
            {
                string found = IPAddress.TryParse(host, out IPAddress? literal)
                    ? "'" + host + "' is an " + FamilyName(literal) + " address"
                    : "'" + host + "' resolved only to " + string.Join(", ", resolution.Addresses.Select(a => a.ToString()));
                return new TargetAddresses(kept, found + ", which -AddressFamily " + filter + " excludes", excluded: true);
            }

            return new TargetAddresses(kept, null);
        }

        public static string FamilyName(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

        private static bool Matches(IPAddress address, AddressFamilyFilter filter) => filter switch
        {
            AddressFamilyFilter.IPv4 => address.AddressFamily == AddressFamily.InterNetwork,
            AddressFamilyFilter.IPv6 => address.AddressFamily == AddressFamily.InterNetworkV6,
            _ => address.AddressFamily == AddressFamily.InterNetwork || address.AddressFamily == AddressFamily.InterNetworkV6,
        };
    }
}
