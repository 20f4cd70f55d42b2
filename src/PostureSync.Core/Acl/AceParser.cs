using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// Parses one IOS ACE (extended, standard or IPv6) into an <see cref="AclLine"/>. Errors are values: the first
    /// one ends the line, which keeps what it had parsed (action, protocol) so the evaluator can tell whether the
    /// broken line could have decided.
    /// </summary>
    internal sealed class AceParser
    {
        private static readonly Regex MatchCounter = new Regex(@"\(\s*([0-9]{1,19})\s+match(?:es)?\s*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The gap a blanked-out counter leaves before an IPv6 "sequence N".</summary>
        private static readonly Regex BlankRun = new Regex(@"(?<!\s)\s{2,}(?=sequence\b)", RegexOptions.CultureInvariant);

        private static readonly Interval[] AllPortsOnly = { HeaderCube.AllPorts };

        private readonly IReadOnlyList<AclToken> tokens;
        private readonly int lineNumber;
        private readonly int columnOffset;
        private readonly bool standard;
        private readonly AclLine line;
        private bool ipv6;
        private int position;

        private Interval protocol = HeaderCube.AllProtocols;
        private Ternary source = Ternary.Any;
        private Ternary destination = Ternary.Any;
        private IReadOnlyList<Interval> sourcePorts = AllPortsOnly;
        private IReadOnlyList<Interval> destinationPorts = AllPortsOnly;
        private byte connection = ConnectionStates.All;
        private int tcpFlags;
        private readonly List<string> partialOptions = new List<string>();
        private readonly List<string> unmodelled = new List<string>();

        private AceParser(IReadOnlyList<AclToken> tokens, int lineNumber, int columnOffset, bool ipv6, bool standard, AclLine line)
        {
            this.tokens = tokens;
            this.lineNumber = lineNumber;
            this.columnOffset = columnOffset;
            this.ipv6 = ipv6;
            this.standard = standard;
            this.line = line;
        }

        /// <summary>What the line says about its address family, for dACL text where IPv4 and IPv6 ACEs may mix.</summary>
        internal enum FamilyEvidence
        {
            None,
            IPv4,
            IPv6,
        }

        /// <summary>
        /// Parses <paramref name="text"/>, which starts at <paramref name="columnOffset"/> + 1 of input line
        /// <paramref name="lineNumber"/>. Returns null for a blank line. With no family given it is inferred from the
        /// line (IPv6 addresses or the <c>ipv6</c> protocol), defaulting to IPv4.
        /// </summary>
        public static AclLine? Parse(string text, int lineNumber, int columnOffset, AclFamily? family, bool standard, out FamilyEvidence evidence)
        {
            evidence = FamilyEvidence.None;
            if (text.Length > AclParser.MaxLineLength)
            {
                // Not read at all: it stays a line that may match anything, so a verdict that depends on it is Unknown.
                return new AclLine(lineNumber, AclTokenizer.Printable(text.TrimStart()), AclLineKind.Invalid)
                {
                    Error = TooLong(lineNumber, text.Length),
                    Family = family ?? AclFamily.IPv4,
                    IsStandard = standard,
                    Cubes = new[] { new HeaderCube(HeaderCube.AllProtocols, Ternary.Any, HeaderCube.AllPorts, Ternary.Any, HeaderCube.AllPorts, ConnectionStates.All) },
                };
            }

            string body = text;
            long? matches = null;
            Match? counter = body.IndexOf('(') >= 0 ? MatchCounter.Match(body) : null;
            if (counter != null && counter.Success)
            {
                matches = long.TryParse(counter.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : (long?)null;
                // Blank it out rather than cut it: IPv6 lists print "sequence N" after the counter, and columns must stay true.
                body = body.Substring(0, counter.Index) + new string(' ', counter.Length) + body.Substring(counter.Index + counter.Length);
            }

            IReadOnlyList<AclToken> tokens = AclTokenizer.Tokenize(body);
            if (tokens.Count == 0)
            {
                return null;
            }

            evidence = Inspect(tokens);
            bool ipv6 = family is null ? evidence == FamilyEvidence.IPv6 : family == AclFamily.IPv6;
            var line = new AclLine(lineNumber, counter is null ? body.Trim() : BlankRun.Replace(body.Trim(), " "), AclLineKind.Ace)
            {
                Matches = matches,
                Family = ipv6 ? AclFamily.IPv6 : AclFamily.IPv4,
                IsStandard = standard,
            };
            new AceParser(tokens, lineNumber, columnOffset, ipv6, standard, line).Run();
            return line;
        }

        internal static AclSyntaxError TooLong(int lineNumber, int length) => new AclSyntaxError(lineNumber, 1,
            "a line of " + length.ToString(CultureInfo.InvariantCulture) + " characters",
            "one ACE per line, at most " + AclParser.MaxLineLength.ToString(CultureInfo.InvariantCulture) + " characters long",
            "Check that the input is ACL text with line breaks.");

        private static FamilyEvidence Inspect(IReadOnlyList<AclToken> tokens)
        {
            FamilyEvidence evidence = FamilyEvidence.None;
            for (int i = 0; i < tokens.Count; i++)
            {
                string t = tokens[i].Text;
                if ((i <= 1 && t.Equals("remark", StringComparison.OrdinalIgnoreCase)) || (i == 0 && t.StartsWith("!", StringComparison.Ordinal)))
                {
                    return FamilyEvidence.None;
                }

                if (t.Equals("ipv6", StringComparison.OrdinalIgnoreCase) || (t.IndexOf(':') >= 0 && LooksLikeIpv6(t)))
                {
                    return FamilyEvidence.IPv6;
                }

                if (t.Equals("ip", StringComparison.OrdinalIgnoreCase) || TryDottedQuad(t, out _) || (t.IndexOf('/') > 0 && TryDottedQuad(t.Substring(0, t.IndexOf('/')), out _)))
                {
                    evidence = FamilyEvidence.IPv4;
                }
            }

            return evidence;
        }

        private static bool LooksLikeIpv6(string token)
        {
            int slash = token.IndexOf('/');
            string address = slash >= 0 ? token.Substring(0, slash) : token;
            return IPAddress.TryParse(address, out IPAddress? parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6;
        }

        private void Run()
        {
            if (!ParseLine())
            {
                line.Kind = line.Kind == AclLineKind.Remark ? AclLineKind.Remark : AclLineKind.Invalid;
            }

            if (line.Kind == AclLineKind.Remark)
            {
                return;
            }

            if (line.Kind == AclLineKind.Invalid)
            {
                // What the broken line could match, as far as it was read: the evaluator must not ignore it.
                line.Cubes = new[] { new HeaderCube(protocol, Ternary.Any, HeaderCube.AllPorts, Ternary.Any, HeaderCube.AllPorts, ConnectionStates.All) };
                return;
            }

            var cubes = new List<HeaderCube>();
            foreach (Interval sport in sourcePorts)
            {
                foreach (Interval dport in destinationPorts)
                {
                    var cube = new HeaderCube(protocol, source, sport, destination, dport, connection);
                    if (!cube.IsEmpty)
                    {
                        cubes.Add(cube);
                    }
                }
            }

            // An exact-size array: a list's spare capacity would cost more than the ACE's text.
            line.Cubes = cubes.ToArray();
            if (partialOptions.Count > 0)
            {
                line.IsPartial = true;
                line.PartialOptions = string.Join(" ", partialOptions);
            }

            if (unmodelled.Count > 0)
            {
                line.Unmodelled = string.Join(", ", unmodelled);
            }

            line.MatchesEveryOpening = unmodelled.Count == 0 && partialOptions.Count == 1 && partialOptions[0] == "syn";
        }

        private bool ParseLine()
        {
            if (tokens.Count > 1 && AclTables.TryNumber(Peek, int.MaxValue, out int sequence))
            {
                line.Sequence = sequence;
                position++;
            }

            string word = Peek;
            if (Is(word, "remark"))
            {
                line.Kind = AclLineKind.Remark;
                return true;
            }

            if (word.StartsWith("!", StringComparison.Ordinal))
            {
                // Admins paste IOS configuration, where '!' starts a comment; ISE would reject the line.
                line.Kind = AclLineKind.Remark;
                line.AddNote("ACL015", "Information", "is an IOS comment ('!'); it was read as a remark. ISE's dACL editor does not take '!' lines: write 'remark ...' or remove it.");
                return true;
            }

            if (Is(word, "permit") || Is(word, "deny"))
            {
                line.IsPermit = Is(word, "permit");
                position++;
            }
            else
            {
                return Fail("'permit', 'deny' or 'remark'");
            }

            return standard ? ParseStandard() : ParseExtended();
        }

        private bool ParseStandard()
        {
            if (!ParseSource(out Ternary address, out bool isAny))
            {
                return false;
            }

            source = address;
            line.SourceIsAny = isAny;
            line.DestinationIsAny = true;
            return ParseOptions();
        }

        private bool ParseExtended()
        {
            string word = Peek;
            if (AtEnd)
            {
                return Fail("a protocol: ip, tcp, udp, icmp, another IOS protocol name, or a number 0-255");
            }

            if (Is(word, ipv6 ? "ipv6" : "ip"))
            {
                protocol = HeaderCube.AllProtocols;
            }
            else if (AclTables.TryProtocol(word, ipv6, out int number))
            {
                protocol = new Interval(number, number);
            }
            else if (Is(word, ipv6 ? "ip" : "ipv6"))
            {
                return Fail(ipv6 ? "a protocol for an IPv6 list: 'ipv6', not 'ip'" : "a protocol for an IPv4 list: 'ip', not 'ipv6' (that belongs in an IPv6 list)");
            }
            else
            {
                return Fail("a protocol: " + (ipv6 ? "ipv6" : "ip") + ", tcp, udp, icmp, another IOS protocol name, or a number 0-255");
            }

            position++;
            bool ports = protocol.Lo == protocol.Hi && (protocol.Lo == AclTables.Tcp || protocol.Lo == AclTables.Udp);

            if (!ParseSource(out Ternary src, out bool srcAny))
            {
                return false;
            }

            source = src;
            line.SourceIsAny = srcAny;
            if (!ParsePortOperator(ports, out IReadOnlyList<Interval>? sport))
            {
                return false;
            }

            sourcePorts = sport ?? AllPortsOnly;
            if (!ParseAddress("destination", out Ternary dst, out bool dstAny))
            {
                return false;
            }

            destination = dst;
            line.DestinationIsAny = dstAny;
            if (!ParsePortOperator(ports, out IReadOnlyList<Interval>? dport))
            {
                return false;
            }

            destinationPorts = dport ?? AllPortsOnly;
            if (protocol.Lo == protocol.Hi && (protocol.Lo == AclTables.Icmp || protocol.Lo == AclTables.Icmpv6) && !AtEnd)
            {
                ParseIcmpType();
            }

            return ParseOptions();
        }

        private bool ParseSource(out Ternary address, out bool isAny)
        {
            int start = position;
            bool parsed = ParseAddress("source", out address, out isAny);
            if (position - start == 1)
            {
                // "any" or one word: the token itself, not a joined copy.
                line.SourceText = tokens[start].Text;
                return parsed;
            }

            var words = new List<string>();
            for (int i = start; i < position; i++)
            {
                words.Add(tokens[i].Text);
            }

            line.SourceText = string.Join(" ", words).Replace(" ,", ",");
            return parsed;
        }

        private bool ParseAddress(string role, out Ternary address, out bool isAny)
        {
            address = Ternary.Any;
            isAny = false;
            string word = Peek;
            // Built only when it is needed: the success path of 100,000 lines should not format 200,000 messages.
            string Expected() => ipv6
                ? "a " + role + " address: any, host X:X::X, X:X::X/length, or object-group NAME"
                : "a " + role + " address: any, host A.B.C.D, A.B.C.D followed by a wildcard" + (standard ? string.Empty : ", or object-group NAME");
            if (AtEnd)
            {
                return Fail(Expected());
            }

            if (Is(word, "any"))
            {
                position++;
                isAny = true;
                return true;
            }

            if (Is(word, "host"))
            {
                position++;
                if (Is(Peek, "dynamic") && !standard)
                {
                    // IOS-XE FQDN lists: the name resolves on the switch at run time, so the line may match any address.
                    position++;
                    if (AtEnd)
                    {
                        return Fail("a host name after 'host dynamic'");
                    }

                    unmodelled.Add("host dynamic " + AclTokenizer.Printable(Peek) + " (resolved on the switch at run time, so it may be any address)");
                    position++;
                    return true;
                }

                if (!TryAddress(Peek, out IPAddress? host))
                {
                    return Fail(ipv6 ? "an IPv6 address after 'host'" : "an IPv4 address A.B.C.D after 'host'");
                }

                position++;
                address = Ternary.Host(host!);
                return true;
            }

            if (Is(word, "object-group") && !standard)
            {
                position++;
                if (AtEnd)
                {
                    return Fail("an object-group name after 'object-group'");
                }

                unmodelled.Add("object-group " + Peek);
                line.AddNote("ACL008", "Warning", "uses object-group " + Peek + ", which a dACL cannot carry and this check cannot see into; list the addresses instead.");
                position++;
                return true;
            }

            int slash = word.IndexOf('/');
            if (slash > 0)
            {
                return ParsePrefix(word, slash, Expected(), out address);
            }

            if (ipv6 || !TryDottedQuad(word, out uint value))
            {
                return Fail(Expected());
            }

            position++;
            string next = Peek;
            if (next == ",")
            {
                // show prints a standard wildcard as "10.0.0.0, wildcard bits 0.0.0.255".
                position++;
                if (!Is(Peek, "wildcard") || !Is(PeekAt(1), "bits"))
                {
                    return Fail("'wildcard bits' after the comma");
                }

                position += 2;
                return ParseWildcard(value, word, out address);
            }

            if (TryDottedQuad(next, out _))
            {
                return ParseWildcard(value, word, out address);
            }

            if (standard)
            {
                address = Ternary.FromWildcard(value, 0);
                return true;
            }

            position--;
            return Fail("'host " + word + "' (an extended ACE needs 'host' before a single address) or " + word + " followed by a wildcard mask");
        }

        private bool ParseWildcard(uint value, string addressText, out Ternary address)
        {
            address = Ternary.Any;
            if (!TryDottedQuad(Peek, out uint wildcard))
            {
                return Fail("a wildcard mask A.B.C.D after " + addressText);
            }

            string wildcardText = Peek;
            position++;
            if (wildcard != 0 && wildcard != uint.MaxValue && IsContiguousFromTop(wildcard))
            {
                uint inverted = ~wildcard;
                line.AddNote("ACL007", "Warning", string.Format(CultureInfo.InvariantCulture,
                    "the wildcard {0} looks like a netmask: IOS reads 1 bits as 'any', so '{1} {0}' matches addresses that only agree on the low bits; for a network write the inverse, {2}.",
                    wildcardText, addressText, FormatQuad(inverted)));
            }

            address = Ternary.FromWildcard(value, wildcard);
            return true;
        }

        private bool ParsePrefix(string word, int slash, string expected, out Ternary address)
        {
            address = Ternary.Any;
            string addressText = word.Substring(0, slash);
            if (!TryAddress(addressText, out IPAddress? parsed) ||
                !AclTables.TryNumber(word.Substring(slash + 1), ipv6 ? 128 : 32, out int length))
            {
                return Fail(expected);
            }

            position++;
            address = Ternary.FromPrefix(parsed!, length);
            if (!ipv6)
            {
                uint wildcard = length == 0 ? uint.MaxValue : (length == 32 ? 0u : uint.MaxValue >> length);
                line.AddNote("ACL011", "Warning", "writes " + word + " in the NX-OS prefix form, which IOS does not accept; write " + addressText + " " + FormatQuad(wildcard) + ".");
            }

            return true;
        }

        private bool ParsePortOperator(bool portsAllowed, out IReadOnlyList<Interval>? ports)
        {
            ports = null;
            string word = Peek;
            bool isOperator = Is(word, "eq") || Is(word, "neq") || Is(word, "lt") || Is(word, "gt") || Is(word, "range");
            if (!isOperator)
            {
                return true;
            }

            if (!portsAllowed)
            {
                return Fail("an address or an option: port operators such as '" + word.ToLowerInvariant() + "' are legal only with tcp or udp");
            }

            string op = word.ToLowerInvariant();
            position++;
            if (!ParsePort(op, out int first))
            {
                return false;
            }

            switch (op)
            {
                case "eq":
                case "neq":
                    var values = new SortedSet<int> { first };
                    while (!AtEnd && IsPortWord(Peek))
                    {
                        if (!ParsePort(op, out int more))
                        {
                            return false;
                        }

                        values.Add(more);
                    }

                    ports = op == "eq" ? Singles(values) : Complement(values);
                    return true;
                case "lt":
                    ports = new[] { new Interval(0, first - 1) };
                    return true;
                case "gt":
                    ports = new[] { new Interval(first + 1, 65535) };
                    return true;
                default:
                    if (!ParsePort("range " + PortText(first), out int last))
                    {
                        return false;
                    }

                    if (last < first)
                    {
                        line.AddNote("ACL012", "Warning", string.Format(CultureInfo.InvariantCulture,
                            "has 'range' with the larger port first ({0} > {1}); IOS treats it as the ports between them, write 'range {1} {0}'.", first, last));
                        ports = new[] { new Interval(last, first) };
                    }
                    else
                    {
                        ports = new[] { new Interval(first, last) };
                    }

                    return true;
            }
        }

        /// <summary>True when the word is meant as a port: a number, or a port name of either table or of the ASA.</summary>
        private bool IsPortWord(string word) =>
            AclTables.TryNumber(word, int.MaxValue, out _) || AclTables.TryPortName(word, AclTables.Tcp, out _) ||
            AclTables.TryPortName(word, AclTables.Udp, out _) || AclTables.TryAsaOnlyPort(word, out _);

        private bool ParsePort(string after, out int port)
        {
            string protocolName = protocol.Lo == AclTables.Tcp ? "tcp" : "udp";
            string word = Peek;
            string Expected() => "a port after '" + after + "': a number 0-65535 or a " + protocolName + " name such as " + (protocolName == "tcp" ? "www" : "domain");
            if (AtEnd)
            {
                port = 0;
                return Fail(Expected());
            }

            if (AclTables.TryNumber(word, 65535, out port) || AclTables.TryPortName(word, protocol.Lo, out port))
            {
                position++;
                return true;
            }

            if (AclTables.TryAsaOnlyPort(word, out int asa))
            {
                line.AddNote("ACL010", "Error", "uses '" + word + "', an ASA port name that IOS rejects; write " + asa.ToString(CultureInfo.InvariantCulture) + ".");
                return Fail(Expected(), "'" + word + "' is an ASA name, not an IOS keyword: use " + asa.ToString(CultureInfo.InvariantCulture) + ".");
            }

            if (AclTables.TryOtherProtocolPortName(word, protocol.Lo, out int other))
            {
                return Fail(Expected(), "'" + word + "' is a " + (protocolName == "tcp" ? "udp" : "tcp") + " port name, not a " + protocolName + " one: use " + other.ToString(CultureInfo.InvariantCulture) + ".");
            }

            return Fail(Expected());
        }

        private void ParseIcmpType()
        {
            string word = Peek;
            if (AclTables.TryNumber(word, 255, out int type))
            {
                position++;
                sourcePorts = new[] { new Interval(type, type) };
                if (AclTables.TryNumber(Peek, 255, out int code))
                {
                    position++;
                    destinationPorts = new[] { new Interval(code, code) };
                }
            }
            else if (AclTables.TryIcmpName(word, ipv6, out int namedType, out int namedCode))
            {
                position++;
                sourcePorts = new[] { new Interval(namedType, namedType) };
                if (namedCode >= 0)
                {
                    destinationPorts = new[] { new Interval(namedCode, namedCode) };
                }
            }
        }

        private bool ParseOptions()
        {
            bool tcp = protocol.Lo == AclTables.Tcp && protocol.Hi == AclTables.Tcp;
            while (!AtEnd)
            {
                string word = Peek.ToLowerInvariant();
                int start = position;
                position++;
                switch (word)
                {
                    case "log":
                    case "log-input":
                        break;
                    case "established":
                        if (!tcp)
                        {
                            position = start;
                            return Fail("an option valid for this protocol ('established' needs tcp)");
                        }

                        connection = ConnectionStates.Established;
                        break;
                    case "ack":
                    case "fin":
                    case "psh":
                    case "rst":
                    case "syn":
                    case "urg":
                        if (!tcp || standard)
                        {
                            position = start;
                            return Fail("an option valid for this protocol (TCP flags need tcp)");
                        }

                        AddTcpFlag(word);
                        break;
                    case "match-any":
                    case "match-all":
                        if (!tcp)
                        {
                            position = start;
                            return Fail("an option valid for this protocol ('" + word + "' needs tcp)");
                        }

                        int flags = 0;
                        while (!AtEnd && (Peek.StartsWith("+", StringComparison.Ordinal) || Peek.StartsWith("-", StringComparison.Ordinal)))
                        {
                            position++;
                            flags++;
                        }

                        if (flags == 0)
                        {
                            return Fail("a TCP flag such as +syn or -ack after '" + word + "'");
                        }

                        AddUnmodelled(word + " TCP flags");
                        break;
                    case "dscp":
                        if (!Value(word, AclTables.TryDscp, "a DSCP value after 'dscp': 0-63 or a name such as ef, af41, cs3, default"))
                        {
                            return false;
                        }

                        break;
                    case "precedence":
                        if (!Value(word, AclTables.TryPrecedence, "a precedence after 'precedence': 0-7 or a name such as critical, flash, routine"))
                        {
                            return false;
                        }

                        break;
                    case "tos":
                        if (!Value(word, AclTables.TryTos, "a TOS value after 'tos': 0-15 or a name such as normal, min-delay, max-throughput"))
                        {
                            return false;
                        }

                        break;
                    case "fragments":
                        partialOptions.Add("fragments");
                        break;
                    case "ttl":
                        if (!ParseTtl())
                        {
                            return false;
                        }

                        break;
                    case "option":
                        if (!Value(word, (string t, out int v) => { v = 0; return AclTables.IsIpOption(t); }, "an IP option after 'option': a number 0-255 or a name such as record-route"))
                        {
                            return false;
                        }

                        break;
                    case "time-range":
                        if (AtEnd)
                        {
                            return Fail("a time-range name after 'time-range'");
                        }

                        AddUnmodelled("time-range " + Peek);
                        line.AddNote("ACL009", "Warning", "depends on time-range " + Peek + ", which a dACL cannot define, so when it applies is unknown; remove the time-range.");
                        position++;
                        break;
                    case "sequence":
                        if (!AclTables.TryNumber(Peek, int.MaxValue, out int sequence))
                        {
                            return Fail("a sequence number after 'sequence'");
                        }

                        line.Sequence = sequence;
                        position++;
                        break;
                    default:
                        position = start;
                        return Fail("an option (log, log-input, established, dscp, precedence, tos, fragments, ttl, option, time-range, sequence) or the end of the line");
                }
            }

            return true;
        }

        private delegate bool TryValue(string token, out int value);

        private bool Value(string keyword, TryValue parse, string expected)
        {
            if (AtEnd || !parse(Peek, out _))
            {
                return Fail(expected);
            }

            partialOptions.Add(keyword + " " + Peek);
            position++;
            return true;
        }

        private bool ParseTtl()
        {
            string op = Peek.ToLowerInvariant();
            if (op != "eq" && op != "neq" && op != "lt" && op != "gt" && op != "range")
            {
                return Fail("a TTL operator after 'ttl': eq, neq, lt, gt or range");
            }

            position++;
            int count = op == "range" ? 2 : 1;
            string text = "ttl " + op;
            for (int i = 0; i < count; i++)
            {
                if (!AclTables.TryNumber(Peek, 255, out _))
                {
                    return Fail("a TTL value 0-255 after 'ttl " + op + "'");
                }

                text += " " + Peek;
                position++;
            }

            partialOptions.Add(text);
            return true;
        }

        private void AddTcpFlag(string flag)
        {
            tcpFlags++;
            if (tcpFlags == 1)
            {
                partialOptions.Add(flag);

                // ACK or RST set is never the opening SYN; the other flags can be on any packet.
                if (flag == "ack" || flag == "rst")
                {
                    connection = ConnectionStates.Established;
                }
            }
            else if (tcpFlags == 2)
            {
                AddUnmodelled("several TCP flags");
            }
        }

        private void AddUnmodelled(string what)
        {
            unmodelled.Add(what);
            if (what.EndsWith("TCP flags", StringComparison.Ordinal))
            {
                line.AddNote("ACL013", "Warning", "combines TCP flags (" + what + "), which this check does not model, so its effect is unknown; use 'established' or one flag.");
            }
        }

        private static IReadOnlyList<Interval> Singles(SortedSet<int> values)
        {
            var intervals = new List<Interval>();
            foreach (int value in values)
            {
                if (intervals.Count > 0 && intervals[intervals.Count - 1].Hi == value - 1)
                {
                    intervals[intervals.Count - 1] = new Interval(intervals[intervals.Count - 1].Lo, value);
                }
                else
                {
                    intervals.Add(new Interval(value, value));
                }
            }

            return intervals;
        }

        private static IReadOnlyList<Interval> Complement(SortedSet<int> values)
        {
            var intervals = new List<Interval>();
            int next = 0;
            foreach (int value in values)
            {
                if (value > next)
                {
                    intervals.Add(new Interval(next, value - 1));
                }

                next = value + 1;
            }

            if (next <= 65535)
            {
                intervals.Add(new Interval(next, 65535));
            }

            return intervals;
        }

        private bool TryAddress(string text, out IPAddress? address)
        {
            address = null;
            if (ipv6)
            {
                return text.IndexOf(':') >= 0 && IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
            }

            if (TryDottedQuad(text, out uint value))
            {
                address = new IPAddress(new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value });
                return true;
            }

            return false;
        }

        internal static bool TryDottedQuad(string text, out uint value)
        {
            value = 0;
            string[] parts = text.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            foreach (string part in parts)
            {
                if (part.Length == 0 || part.Length > 3 || !AclTables.TryNumber(part, 255, out int octet))
                {
                    return false;
                }

                value = (value << 8) | (uint)octet;
            }

            return true;
        }

        private static bool IsContiguousFromTop(uint wildcard)
        {
            uint inverted = ~wildcard;
            return (inverted & (inverted + 1)) == 0;
        }

        private static string FormatQuad(uint value) => Ternary.Format(0, value, false);

        private static string PortText(int port) => port.ToString(CultureInfo.InvariantCulture);

        private string Peek => position < tokens.Count ? tokens[position].Text : string.Empty;

        private string PeekAt(int ahead) => position + ahead < tokens.Count ? tokens[position + ahead].Text : string.Empty;

        private bool AtEnd => position >= tokens.Count;

        private static bool Is(string word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

        private bool Fail(string expected, string? hint = null)
        {
            string found;
            int column;
            if (AtEnd)
            {
                found = AclTokenizer.EndOfLine;
                column = tokens.Count == 0 ? 1 : tokens[tokens.Count - 1].Column + tokens[tokens.Count - 1].Text.Length;
            }
            else
            {
                found = AclTokenizer.Printable(tokens[position].Text);
                column = tokens[position].Column;
            }

            line.Error = new AclSyntaxError(lineNumber, column + columnOffset, found, expected, hint);
            line.Kind = AclLineKind.Invalid;
            return false;
        }
    }
}
