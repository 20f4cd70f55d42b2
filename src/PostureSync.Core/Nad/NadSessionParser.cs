using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PostureSync.Core.Acl;

namespace PostureSync.Core.Nad
{
    /// <summary>
    /// Reads switch session detail output line by line (push: one line in, at most one finished session out), so a
    /// file, a text and piped lines share one parser and memory holds one session at a time. Handles both layouts
    /// (IOS-XE sections Local/Server/Resultant Policies and Method status list; IOS 15 keys inline with Runnable
    /// methods list), any key alignment, several sessions split by dashed lines or by a new Interface, and text pasted
    /// through chat or Markdown (prompts, fences, headings, <c>*…*</c>, <c>\_</c> escapes, tables). Never throws on input.
    /// </summary>
    internal sealed class NadSessionParser
    {
        /// <summary>Longer lines are cut: a session line is a few dozen characters, a URL redirect a few hundred.</summary>
        public const int MaxLineLength = 4096;

        /// <summary>Per-session bounds on the repeatable parts, so junk between sessions cannot grow one without end.</summary>
        internal const int MaxRepeats = 256;

        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        // Switch1#show …, Switch1(config)#do show …, sw-2>sh …; a host-less prompt only before a show command, so that a
        // Markdown heading ("### Server Policies:") or quote ("> text") is not taken for one.
        private static readonly Regex Prompt = new Regex(
            @"^(?:(?<host>[A-Za-z0-9_][A-Za-z0-9_.\-]*)(?:\([A-Za-z0-9_\-]+\))?[#>]\s*(?<command>.*)|[#>]\s*(?<command>(?:do\s+)?sh(?:o|ow)?\s.*))$", Options);

        private static readonly Regex MarkdownHeading = new Regex(@"^#{1,6}\s+", Options);

        private static readonly Regex MarkdownEscape = new Regex(@"\\(?<c>[\\`*_{}\[\]()#+\-.!|<>~])", Options);

        private static readonly Regex SummaryHeader = new Regex(@"^Interface\s+MAC(?:\s+Address)?\s+Method\b", Options);

        // A key starts with a letter and its colon is followed by a blank or the line end, so neither an IPv6 address
        // carried onto its own line (FE80::1) nor a URL (https://…) is taken for one.
        private static readonly Regex Key = new Regex(@"^(?<key>[A-Za-z][A-Za-z0-9 ._/()\-]{0,47}?)\s*:(?:\s+|$)(?<value>.*)$", Options);

        private static readonly Regex Blanks = new Regex(@"\s+", Options);

        private readonly string source;
        private readonly NadSessionBuilder builder = new NadSessionBuilder();
        private string? device;
        private bool sessionOpen;
        private Section section;
        private int methodRows;
        private Field lastField;
        private int lineNumber;

        public NadSessionParser(string source)
        {
            this.source = source;
        }

        private enum Section
        {
            None,
            Other,
            Methods,
        }

        /// <summary>Sessions handed out so far.</summary>
        public int SessionCount { get; private set; }

        /// <summary>The text held the one-line-per-session table of <c>show access-session</c> without <c>details</c>.</summary>
        public bool SawSummaryTable { get; private set; }

        /// <summary>The text held NUL characters: a binary file rather than captured output.</summary>
        public bool SawBinary { get; private set; }

        /// <summary>Reads one line (with or without its line end); returns the session this line closed, if any.</summary>
        public NadSession? Push(string rawLine)
        {
            lineNumber++;
            string raw = rawLine.Length > MaxLineLength ? rawLine.Substring(0, MaxLineLength) : rawLine;
            if (raw.IndexOf('\0') >= 0)
            {
                SawBinary = true;
                return null;
            }

            string line = Clean(raw);
            if (line.Length == 0)
            {
                if (section == Section.Methods && methodRows > 0)
                {
                    section = Section.Other;
                }

                return null;
            }

            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                return null;
            }

            Match prompt = Prompt.Match(line);
            if (prompt.Success)
            {
                NadSession? closed = Close();
                device = prompt.Groups["host"].Success ? prompt.Groups["host"].Value : null;
                return closed;
            }

            line = MarkdownHeading.Replace(line, string.Empty);
            if (IsSeparator(line))
            {
                return Close();
            }

            if (SummaryHeader.IsMatch(line))
            {
                SawSummaryTable = true;
                return Close();
            }

            Match key = Key.Match(line);
            if (key.Success)
            {
                return OnKey(Blanks.Replace(key.Groups["key"].Value.Trim(), " "), key.Groups["value"].Value.Trim());
            }

            if (sessionOpen)
            {
                OnText(line);
            }

            return null;
        }

        /// <summary>Ends the text: returns the last session, if one is open.</summary>
        public NadSession? Finish()
        {
            NadSession? closed = Close();
            device = null;
            return closed;
        }

        private static string Clean(string raw)
        {
            // Markdown emphasis (*Interface:*  Gi1/0/1) never belongs to switch output, and neither do table pipes.
            string line = raw.IndexOf('*') >= 0 ? raw.Replace("*", string.Empty) : raw;
            line = line.Trim();
            while (line.StartsWith("> ", StringComparison.Ordinal))
            {
                line = line.Substring(2).TrimStart();
            }

            if (line.Length > 1 && line[0] == '|' && line[line.Length - 1] == '|')
            {
                line = string.Join("\t", line.Substring(1, line.Length - 2).Split('|').Select(c => c.Trim()));
            }

            return line.IndexOf('\\') >= 0 ? MarkdownEscape.Replace(line, "${c}") : line;
        }

        private static bool IsSeparator(string line) =>
            line.Length >= 3 && line.All(c => c == '-' || c == '=' || c == '_');

        private NadSession? OnKey(string key, string value)
        {
            string normal = key.ToLowerInvariant();
            if (value.Length == 0 && SectionOf(normal) is Section opened)
            {
                if (sessionOpen)
                {
                    section = opened;
                    methodRows = 0;
                }

                return null;
            }

            Field field = FieldOf(normal);
            NadSession? closed = null;
            if (IsSessionStart(field))
            {
                if (sessionOpen && builder.Has(field))
                {
                    closed = Close();
                }

                if (!sessionOpen)
                {
                    Open();
                }
            }

            if (!sessionOpen)
            {
                return closed;
            }

            if (section == Section.Methods)
            {
                section = Section.Other;
            }

            lastField = field;
            builder.Set(field, key, value);
            return closed;
        }

        private void OnText(string line)
        {
            if (section == Section.Methods)
            {
                // A header ("Method  State"), a Markdown table rule, or a row "dot1x  Authc Success".
                string[] cells = line.Split(new[] { ' ', '\t' }, 2, StringSplitOptions.RemoveEmptyEntries);
                bool rule = line.All(c => c == '-' || c == ':' || c == '|' || char.IsWhiteSpace(c));
                if (!rule && !string.Equals(cells[0], "Method", StringComparison.OrdinalIgnoreCase))
                {
                    methodRows++;
                    builder.AddMethod(cells[0], cells.Length > 1 ? Blanks.Replace(cells[1].Trim(), " ") : string.Empty);
                }

                return;
            }

            builder.Continue(lastField, line);
        }

        private void Open()
        {
            builder.Reset(device, source, lineNumber);
            sessionOpen = true;
            section = Section.None;
            lastField = Field.Other;
        }

        private NadSession? Close()
        {
            if (!sessionOpen)
            {
                return null;
            }

            sessionOpen = false;
            section = Section.None;
            NadSession? session = builder.Build();
            if (session != null)
            {
                SessionCount++;
            }

            return session;
        }

        private static bool IsSessionStart(Field field) => field == Field.Interface || field == Field.MacAddress || field == Field.SessionId;

        private static Section? SectionOf(string key) => key switch
        {
            "method status list" => Section.Methods,
            "runnable methods list" => Section.Methods,
            "runnable method list" => Section.Methods,
            "methods list" => Section.Methods,
            "local policies" => Section.Other,
            "server policies" => Section.Other,
            "resultant policies" => Section.Other,
            "resultant policy" => Section.Other,
            _ => null,
        };

        internal static Field FieldOf(string key)
        {
            switch (key)
            {
                case "interface":
                    return Field.Interface;
                case "mac address":
                case "mac":
                    return Field.MacAddress;
                case "ip address":
                case "ipv4 address":
                case "ipv4 addresses":
                    return Field.IPv4Address;
                case "ipv6 address":
                case "ipv6 addresses":
                    return Field.IPv6Address;
                case "user-name":
                case "user name":
                case "username":
                    return Field.UserName;
                case "status":
                    return Field.Status;
                case "domain":
                    return Field.Domain;
                case "oper host mode":
                case "host mode":
                    return Field.HostMode;
                case "common session id":
                    return Field.SessionId;
                case "vlan group":
                case "vlan policy":
                case "vlan":
                case "vlan id":
                    return Field.Vlan;
                case "sgt value":
                case "sgt":
                case "sgt tag":
                    return Field.Sgt;
                case "url redirect":
                    return Field.UrlRedirect;
            }

            // ACS ACL, ACS ACL IPV6, IPv6 ACS ACL, ACS ACL (IPv6); URL Redirect ACL and its IPv6 forms.
            if (key.Contains("acs acl"))
            {
                return Field.AcsAcl;
            }

            return key.Contains("url redirect acl") ? Field.UrlRedirectAcl : Field.Other;
        }
    }

    internal enum Field
    {
        Other,
        Interface,
        MacAddress,
        IPv4Address,
        IPv6Address,
        UserName,
        Status,
        Domain,
        HostMode,
        SessionId,
        Vlan,
        Sgt,
        AcsAcl,
        UrlRedirectAcl,
        UrlRedirect,
    }

    /// <summary>The fields of the session being read; turned into a <see cref="NadSession"/> when it ends.</summary>
    internal sealed class NadSessionBuilder
    {
        private static readonly Regex VlanInGroup = new Regex(@"^Vlan\s*:\s*(?<vlan>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private readonly Dictionary<Field, string> single = new Dictionary<Field, string>();
        private readonly List<string> ipv6 = new List<string>();
        private readonly List<string> acls = new List<string>();
        private readonly List<string> methods = new List<string>();
        private readonly List<string> others = new List<string>();
        private string? device;
        private string source = string.Empty;
        private int lineNumber;

        public void Reset(string? promptHost, string sourceName, int line)
        {
            single.Clear();
            ipv6.Clear();
            acls.Clear();
            methods.Clear();
            others.Clear();
            device = promptHost;
            source = sourceName;
            lineNumber = line;
        }

        public bool Has(Field field) => single.ContainsKey(field);

        public void Set(Field field, string key, string value)
        {
            switch (field)
            {
                case Field.Other:
                    Add(others, key + ": " + value);
                    return;
                case Field.AcsAcl:
                    if (value.Length > 0 && !acls.Contains(value, StringComparer.OrdinalIgnoreCase))
                    {
                        Add(acls, value);
                    }

                    return;
                case Field.IPv6Address:
                    AddIpv6(value);
                    return;
                case Field.IPv4Address:
                    // IOS 15 "IP Address:" holds whichever family the session has.
                    if (IPAddress.TryParse(value, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        AddIpv6(value);
                        return;
                    }

                    break;
                case Field.Vlan:
                    Match group = VlanInGroup.Match(value);
                    value = group.Success ? group.Groups["vlan"].Value : value;
                    break;
            }

            if (!single.ContainsKey(field) && !IsUnknown(value))
            {
                single[field] = value;
            }
        }

        /// <summary>A line with no key: more IPv6 addresses, or the rest of a URL cut by the terminal.</summary>
        public void Continue(Field field, string text)
        {
            if (field == Field.IPv6Address || field == Field.IPv4Address)
            {
                foreach (string part in text.Split(new[] { ' ', '\t', ',' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (IPAddress.TryParse(part, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        AddIpv6(part);
                    }
                }
            }
            else if (field == Field.UrlRedirect && single.TryGetValue(field, out string? url) && text.IndexOf(' ') < 0)
            {
                single[field] = url + text;
            }
        }

        public void AddMethod(string method, string state) => Add(methods, state.Length == 0 ? method : method + ": " + state);

        public NadSession? Build()
        {
            // A key or two of prose is not a session: it needs something that names the endpoint or the port.
            if (!single.ContainsKey(Field.Interface) && !single.ContainsKey(Field.MacAddress) && !single.ContainsKey(Field.SessionId))
            {
                return null;
            }

            List<DownloadedAclName> names = acls.Select(DownloadedAclName.Parse).ToList();
            return new NadSession
            {
                Device = device,
                Interface = Get(Field.Interface),
                MacAddress = Get(Field.MacAddress),
                IPv4Address = Get(Field.IPv4Address),
                IPv6Address = ipv6.ToArray(),
                UserName = Get(Field.UserName),
                Status = Get(Field.Status),
                Domain = Get(Field.Domain),
                HostMode = Get(Field.HostMode),
                SessionId = Get(Field.SessionId),
                Methods = methods.ToArray(),
                Vlan = Get(Field.Vlan),
                Sgt = Get(Field.Sgt),
                AcsAcl = acls.ToArray(),
                DaclName = names.Select(n => n.DaclName).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
                DaclVersion = names.Where(n => n.Version != null).Select(n => n.Version!).ToArray(),
                DaclVersionTime = names.Count > 0 ? names[0].VersionTime : null,
                UrlRedirectAcl = Get(Field.UrlRedirectAcl),
                UrlRedirect = Get(Field.UrlRedirect),
                OtherFields = others.ToArray(),
                Source = source,
                LineNumber = lineNumber,
            };
        }

        private static bool IsUnknown(string value) =>
            value.Length == 0 || value.Equals("Unknown", StringComparison.OrdinalIgnoreCase) || value.Equals("N/A", StringComparison.OrdinalIgnoreCase);

        private static void Add(List<string> list, string item)
        {
            if (list.Count < NadSessionParser.MaxRepeats)
            {
                list.Add(item);
            }
        }

        private void AddIpv6(string value)
        {
            if (!IsUnknown(value) && !ipv6.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                Add(ipv6, value);
            }
        }

        private string? Get(Field field) => single.TryGetValue(field, out string? value) ? value : null;
    }
}
