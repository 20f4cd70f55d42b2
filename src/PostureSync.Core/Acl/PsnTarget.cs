using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using PostureSync.Core.Net;

namespace PostureSync.Core.Acl
{
    /// <summary>A PSN to check: the name the user gave and one address it resolved to.</summary>
    internal sealed class PsnTarget
    {
        public PsnTarget(string name, IPAddress address)
        {
            Name = name;
            Address = address;
        }

        public string Name { get; }

        public IPAddress Address { get; }

        /// <summary>The name, with the address when they differ: <c>psn1 (10.1.1.1)</c>.</summary>
        public string DisplayName => string.Equals(Name, Address.ToString(), StringComparison.OrdinalIgnoreCase) ? Name : Name + " (" + Address + ")";
    }

    internal static class PsnTargets
    {
        /// <summary>
        /// Every address each entry (a name, an address, <c>host:port</c> or <c>[v6]:port</c>; the port is dropped)
        /// resolves to. An entry that is not a host or does not resolve is reported through <paramref name="onFailure"/>
        /// (PsnAddressInvalid, PsnNameUnresolved) and left out.
        /// </summary>
        public static List<PsnTarget> Resolve(IEnumerable<string> entries, IHostResolver resolver, TimeSpan timeout, CancellationToken cancellation, Action<PostureSyncException> onFailure)
        {
            var targets = new List<PsnTarget>();
            foreach (string entry in entries)
            {
                if (!HostPort.TryParse(entry, out HostPort? hostPort, out string? problem))
                {
                    onFailure(new PostureSyncException(ErrorIds.PsnAddressInvalid, FailureKind.InvalidArgument, $"PSN '{entry}' is not usable: {problem}.", entry)
                    {
                        RecommendedAction = "Give a host name, an IPv4/IPv6 address, host:port or [IPv6]:port.",
                    });
                    continue;
                }

                HostResolution resolution = resolver.ResolveAsync(hostPort!.Host, timeout, cancellation).GetAwaiter().GetResult();
                if (!resolution.Resolved)
                {
                    onFailure(new PostureSyncException(ErrorIds.PsnNameUnresolved, FailureKind.ObjectNotFound, $"PSN '{hostPort.Host}' does not resolve: {resolution.Error}.", entry)
                    {
                        RecommendedAction = "Check the name, or give the PSN's address.",
                    });
                    continue;
                }

                targets.AddRange(resolution.Addresses
                    .Select(address => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
                    .Distinct()
                    .Select(address => new PsnTarget(hostPort.Host, address)));
            }

            return targets;
        }
    }
}
