using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace PostureSync.Core.Net
{
    /// <summary>The addresses a name resolved to, or why it did not resolve.</summary>
    internal sealed class HostResolution
    {
        public HostResolution(string host, IReadOnlyList<IPAddress> addresses, string? error)
        {
            Host = host;
            Addresses = addresses;
            Error = error;
        }

        public string Host { get; }

        public IReadOnlyList<IPAddress> Addresses { get; }

        /// <summary>Why nothing was found; null when resolved.</summary>
        public string? Error { get; }

        public bool Resolved => Addresses.Count > 0;
    }

    /// <summary>Name resolution, behind an interface so tests decide what resolves without sending a DNS query.</summary>
    internal interface IHostResolver
    {
        Task<HostResolution> ResolveAsync(string host, TimeSpan timeout, CancellationToken cancellationToken);
    }

    internal static class HostResolvers
    {
        /// <summary>
        /// A hosts-format file (<c>address name [name ...]</c>) named by this variable replaces DNS: names it does not
        /// list do not resolve. Tests use it; so can an admin checking a PSN list before DNS is in place.
        /// </summary>
        public const string HostsFileVariable = "POSTURESYNC_HOSTS_FILE";

        /// <summary>DNS, or the hosts file named by <see cref="HostsFileVariable"/>; an unreadable file is HostsFileUnreadable.</summary>
        public static IHostResolver FromEnvironment()
        {
            string? file = Environment.GetEnvironmentVariable(HostsFileVariable);
            return string.IsNullOrEmpty(file) ? new SystemHostResolver() : LoadHostsFile(file!);
        }

        /// <summary>
        /// Names for offline checks, where nothing may go to the network: literal addresses only, or the hosts file
        /// named by <see cref="HostsFileVariable"/>.
        /// </summary>
        /// <summary>Why a name does not resolve offline, and what to do about it.</summary>
        public const string OfflineMiss = "names are not resolved offline: give its address with -PsnAddress @{ '<name>' = '<address>' }";

        public static IHostResolver Offline()
        {
            string? file = Environment.GetEnvironmentVariable(HostsFileVariable);
            return string.IsNullOrEmpty(file)
                ? new HostsFileResolver(Array.Empty<KeyValuePair<string, IPAddress>>(), OfflineMiss, null)
                : LoadHostsFile(file!);
        }

        private static HostsFileResolver LoadHostsFile(string file)
        {
            try
            {
                return HostsFileResolver.Load(file);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.HostsFileUnreadable, file, ex);
            }
        }

        internal static bool TryLiteral(string host, out HostResolution? resolution)
        {
            string trimmed = host.Trim('[', ']');
            if (IPAddress.TryParse(trimmed, out IPAddress? address) && (trimmed.IndexOf(':') >= 0 || trimmed.Count(c => c == '.') == 3))
            {
                resolution = new HostResolution(host, new[] { address }, null);
                return true;
            }

            resolution = null;
            return false;
        }
    }

    /// <summary>Literal addresses as they are; names through the system resolver, bounded by the timeout.</summary>
    internal sealed class SystemHostResolver : IHostResolver
    {
        public async Task<HostResolution> ResolveAsync(string host, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (HostResolvers.TryLiteral(host, out HostResolution? literal))
            {
                return literal!;
            }

            // Dns.GetHostAddressesAsync cannot be cancelled on netstandard2.0: stop waiting for it instead.
            Task<IPAddress[]> lookup = Dns.GetHostAddressesAsync(host);
            Task finished = await Task.WhenAny(lookup, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (finished != lookup)
            {
                _ = lookup.ContinueWith(t => t.Exception, TaskScheduler.Default);
                return new HostResolution(host, Array.Empty<IPAddress>(), "name resolution did not answer within " + Seconds(timeout) + " s");
            }

            try
            {
                IPAddress[] addresses = await lookup.ConfigureAwait(false);
                return addresses.Length == 0
                    ? new HostResolution(host, addresses, "the name has no addresses")
                    : new HostResolution(host, addresses, null);
            }
            catch (SocketException ex)
            {
                return new HostResolution(host, Array.Empty<IPAddress>(), ex.Message);
            }
        }

        /// <summary>"0.5", not the session culture's "0,5": the message is English and -TimeoutSec takes fractions.</summary>
        internal static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>Resolves only from a hosts-format table; everything else is unresolved. No DNS traffic at all.</summary>
    internal sealed class HostsFileResolver : IHostResolver
    {
        private readonly Dictionary<string, List<IPAddress>> table;
        private readonly string missReason;
        private readonly IHostResolver? fallback;

        public HostsFileResolver(IEnumerable<KeyValuePair<string, IPAddress>> entries)
            : this(entries, "the name is not in " + HostResolvers.HostsFileVariable, null)
        {
        }

        /// <summary>
        /// A table of names (e.g. the admin's -PsnAddress map); a name it lacks goes to <paramref name="fallback"/>,
        /// or, without one, does not resolve for <paramref name="missReason"/>.
        /// </summary>
        public HostsFileResolver(IEnumerable<KeyValuePair<string, IPAddress>> entries, string missReason, IHostResolver? fallback)
        {
            this.missReason = missReason;
            this.fallback = fallback;
            table = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, IPAddress> entry in entries)
            {
                if (!table.TryGetValue(entry.Key, out List<IPAddress>? list))
                {
                    table[entry.Key] = list = new List<IPAddress>();
                }

                list.Add(entry.Value);
            }
        }

        public static HostsFileResolver Load(string path)
        {
            var entries = new List<KeyValuePair<string, IPAddress>>();
            foreach (string raw in File.ReadAllLines(path))
            {
                int hash = raw.IndexOf('#');
                string line = hash >= 0 ? raw.Substring(0, hash) : raw;
                string[] fields = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2 || !IPAddress.TryParse(fields[0], out IPAddress? address))
                {
                    continue;
                }

                for (int i = 1; i < fields.Length; i++)
                {
                    entries.Add(new KeyValuePair<string, IPAddress>(fields[i], address));
                }
            }

            return new HostsFileResolver(entries);
        }

        public Task<HostResolution> ResolveAsync(string host, TimeSpan timeout, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HostResolvers.TryLiteral(host, out HostResolution? literal))
            {
                return Task.FromResult(literal!);
            }

            if (table.TryGetValue(host, out List<IPAddress>? addresses))
            {
                return Task.FromResult(new HostResolution(host, addresses, null));
            }

            return fallback?.ResolveAsync(host, timeout, cancellationToken)
                ?? Task.FromResult(new HostResolution(host, Array.Empty<IPAddress>(), missReason));
        }
    }
}
