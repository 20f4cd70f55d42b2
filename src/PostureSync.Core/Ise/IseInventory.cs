using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using PostureSync.Core.Json;

namespace PostureSync.Core.Ise
{
    /// <summary>Reads the deployment's PSNs and its downloadable ACLs.</summary>
    internal static class IseInventory
    {
        private const string SessionService = "Session";

        /// <summary>
        /// Nodes that run the Session service: the Open API deployment list (ISE 3.1 patch 1+), else (404, or the 3.1 GA
        /// shape without ipAddress) the ERS sessionservicenode list. Each node's other interfaces come from ERS node.
        /// </summary>
        public static async Task<List<IsePsn>> GetPsnsAsync(IseReader reader)
        {
            List<IsePsn>? psns = await FromDeploymentApiAsync(reader).ConfigureAwait(false);
            if (psns is null)
            {
                reader.Log?.Invoke("The Open API deployment list is missing or has no addresses (ISE 3.1 GA): reading ERS sessionservicenode instead.");
                psns = await FromSessionServiceNodesAsync(reader).ConfigureAwait(false);
            }

            await AddInterfaceAddressesAsync(reader, psns).ConfigureAwait(false);
            return psns;
        }

        private static async Task<List<IsePsn>?> FromDeploymentApiAsync(IseReader reader)
        {
            JsonTree? body = await reader.GetJsonOrNullAsync("/api/v1/deployment/node", IseApi.OpenApi).ConfigureAwait(false);
            JsonTree? nodes = body?["response"];
            if (nodes is null || nodes.Kind != "array")
            {
                return null;
            }

            var psns = new List<IsePsn>();
            foreach (JsonTree node in nodes.Items)
            {
                string[] services = node.Strings("services");
                if (!services.Contains(SessionService, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                string? address = node.String("ipAddress");
                if (address is null)
                {
                    // The 3.1 GA shape (ISE-API.md §2.1): no addresses here at all.
                    return null;
                }

                psns.Add(new IsePsn
                {
                    Name = node.String("hostname") ?? string.Empty,
                    Fqdn = node.String("fqdn"),
                    IPAddress = Addresses(reader, node.String("hostname"), new[] { address }),
                    Services = services,
                    Roles = node.Strings("roles"),
                    NodeStatus = node.String("nodeStatus"),
                    Source = "OpenApi",
                });
            }

            return psns;
        }

        private static async Task<List<IsePsn>> FromSessionServiceNodesAsync(IseReader reader)
        {
            List<JsonTree> entries = await reader.GetErsListAsync("sessionservicenode").ConfigureAwait(false);
            JsonTree?[] details = await ForEachAsync(reader, entries, entry =>
                reader.GetJsonOrNullAsync("/ers/config/sessionservicenode/" + Uri.EscapeDataString(entry.String("id") ?? string.Empty), IseApi.Ers)).ConfigureAwait(false);
            var psns = new List<IsePsn>();
            foreach (JsonTree? detail in details)
            {
                JsonTree? node = detail?["SessionServiceNode"];
                if (node is null)
                {
                    continue;
                }

                psns.Add(new IsePsn
                {
                    Name = node.String("name") ?? string.Empty,
                    IPAddress = Addresses(reader, node.String("name"), new[] { node.String("ipAddress") }),
                    Services = new[] { SessionService },
                    Source = "Ers",
                });
            }

            return psns;
        }

        /// <summary>ERS node/{id} carries every interface (ipAddresses, IPv6). Its body also holds credentials: only addresses are read.</summary>
        private static async Task AddInterfaceAddressesAsync(IseReader reader, List<IsePsn> psns)
        {
            List<JsonTree> nodes;
            try
            {
                nodes = await reader.GetErsListAsync("node").ConfigureAwait(false);
            }
            catch (PostureSyncException ex) when (ex.ErrorId == ErrorIds.IseAccessDenied || ex.ErrorId == ErrorIds.IseApiDisabled || ex.ErrorId == ErrorIds.IseRequestFailed)
            {
                reader.Log?.Invoke("ERS node list not readable (" + ex.Message + "): only each PSN's management address is known.");
                return;
            }

            var wanted = nodes.Where(n => psns.Any(p => string.Equals(p.Name, n.String("name"), StringComparison.OrdinalIgnoreCase))).ToList();
            JsonTree?[] details = await ForEachAsync(reader, wanted, entry =>
                reader.GetJsonOrNullAsync("/ers/config/node/" + Uri.EscapeDataString(entry.String("id") ?? string.Empty), IseApi.Ers)).ConfigureAwait(false);
            foreach (JsonTree? detail in details)
            {
                JsonTree? node = detail?["Node"];
                IsePsn? psn = psns.FirstOrDefault(p => string.Equals(p.Name, node?.String("name"), StringComparison.OrdinalIgnoreCase));
                if (node is null || psn is null)
                {
                    continue;
                }

                var more = new List<string?> { node.String("ipAddress") };
                more.AddRange(ListOrCommaText(node, "ipAddresses"));
                more.Add(node.String("ipV6Address"));
                more.Add(node.String("secIpV6Address"));
                more.AddRange(ListOrCommaText(node, "ipV6Addresses"));
                psn.IPAddress = psn.IPAddress.Concat(Addresses(reader, psn.Name, more)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
                psn.Fqdn ??= node.String("fqdn");
            }
        }

        private static IEnumerable<string?> ListOrCommaText(JsonTree node, string name)
        {
            JsonTree? value = node[name];
            if (value is null || value.IsNull)
            {
                return Enumerable.Empty<string?>();
            }

            return value.Kind == "array" ? value.Items.Select(i => i.Text) : (value.Text ?? string.Empty).Split(',', ';', ' ');
        }

        /// <summary>Only real IP literals survive: the audit names addresses in ACEs, never server-supplied text.</summary>
        private static string[] Addresses(IseReader reader, string? node, IEnumerable<string?> candidates)
        {
            var addresses = new List<string>();
            foreach (string? candidate in candidates)
            {
                string text = (candidate ?? string.Empty).Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                if (System.Net.IPAddress.TryParse(text, out IPAddress? address) && (text.IndexOf(':') >= 0 || text.Count(c => c == '.') == 3))
                {
                    addresses.Add(address.ToString());
                }
                else
                {
                    reader.Log?.Invoke("Node " + IseReader.Clip(node ?? "?", 64) + ": '" + IseReader.Clip(text, 64) + "' is not an IP address; left out.");
                }
            }

            return addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        /// <summary>Every dACL whose name matches one of the wildcard patterns (all when none), with its text.</summary>
        public static async Task<List<IseDacl>> GetDaclsAsync(IseReader reader, IReadOnlyList<string>? namePatterns)
        {
            List<JsonTree> entries = await reader.GetErsListAsync("downloadableacl").ConfigureAwait(false);
            List<Regex> patterns = (namePatterns ?? Array.Empty<string>()).Select(Wildcard).ToList();
            List<JsonTree> chosen = entries.Where(e => patterns.Count == 0 || patterns.Any(p => p.IsMatch(e.String("name") ?? string.Empty))).ToList();
            return await GetDaclDetailsAsync(reader, chosen.Select(e => e.String("id") ?? string.Empty).ToList()).ConfigureAwait(false);
        }

        /// <summary>Names and ids of every dACL (one list walk, no text).</summary>
        public static async Task<Dictionary<string, string>> GetDaclIdsAsync(IseReader reader)
        {
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonTree entry in await reader.GetErsListAsync("downloadableacl").ConfigureAwait(false))
            {
                if (entry.String("name") is string name && entry.String("id") is string id && !ids.ContainsKey(name))
                {
                    ids.Add(name, id);
                }
            }

            return ids;
        }

        /// <summary>Each dACL by id, in the given order, at most ThrottleLimit in flight. A dACL deleted meanwhile is left out.</summary>
        public static async Task<List<IseDacl>> GetDaclDetailsAsync(IseReader reader, IReadOnlyList<string> ids)
        {
            JsonTree?[] bodies = await ForEachAsync(reader, ids, id =>
                reader.GetJsonOrNullAsync("/ers/config/downloadableacl/" + Uri.EscapeDataString(id), IseApi.Ers)).ConfigureAwait(false);
            var dacls = new List<IseDacl>();
            for (int i = 0; i < bodies.Length; i++)
            {
                JsonTree? dacl = bodies[i]?["DownloadableAcl"];
                if (dacl is null)
                {
                    reader.Log?.Invoke("dACL " + ids[i] + " is gone (HTTP 404).");
                    continue;
                }

                dacls.Add(new IseDacl
                {
                    Name = dacl.String("name") ?? string.Empty,
                    Id = dacl.String("id") ?? ids[i],
                    Description = dacl.String("description"),
                    DaclType = dacl.String("daclType") ?? "IPV4",
                    Text = DaclText(dacl.String("dacl")),
                });
            }

            return dacls;
        }

        /// <summary>
        /// One ACE per line. ISE's "dacl" uses newlines, and Cisco's doc says "use the string \n for a newline"; which
        /// one is on the wire is ambiguous, so both split, and each line is trimmed (ISE-API.md §3.2) [inferred].
        /// </summary>
        public static string DaclText(string? wire)
        {
            if (string.IsNullOrEmpty(wire))
            {
                return string.Empty;
            }

            IEnumerable<string> lines = wire!.Replace("\\n", "\n").Replace("\r\n", "\n").Replace('\r', '\n').Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.Length > 0);
            return string.Join("\n", lines);
        }

        internal static Regex Wildcard(string pattern) =>
            new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Runs one request per item; the client's throttle bounds how many are in flight.</summary>
        internal static async Task<TResult[]> ForEachAsync<TItem, TResult>(IseReader reader, IEnumerable<TItem> items, Func<TItem, Task<TResult>> action)
        {
            List<Task<TResult>> tasks = items.Select(item => action(item)).ToList();
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
    }
}
