using System;
using System.Collections.Generic;
using System.Globalization;

namespace PostureSync.Core.Acl
{
    /// <summary>IOS keyword tables from ACL-GRAMMAR.md: protocols, named ports (per protocol), ICMP names, QoS names.</summary>
    internal static class AclTables
    {
        public const int Icmp = 1;
        public const int Tcp = 6;
        public const int Udp = 17;
        public const int Icmpv6 = 58;

        private static readonly Dictionary<string, int> Ipv4Protocols = Table(
            ("icmp", 1), ("igmp", 2), ("ipinip", 4), ("tcp", 6), ("udp", 17), ("gre", 47), ("esp", 50), ("ahp", 51),
            ("eigrp", 88), ("ospf", 89), ("nos", 94), ("pim", 103), ("pcp", 108), ("sctp", 132));

        private static readonly Dictionary<string, int> Ipv6Protocols = Table(
            ("icmp", 58), ("tcp", 6), ("udp", 17), ("esp", 50), ("ahp", 51), ("pcp", 108), ("sctp", 132));

        private static readonly Dictionary<string, int> TcpPorts = Table(
            ("bgp", 179), ("chargen", 19), ("cmd", 514), ("daytime", 13), ("discard", 9), ("domain", 53), ("echo", 7),
            ("exec", 512), ("finger", 79), ("ftp", 21), ("ftp-data", 20), ("gopher", 70), ("hostname", 101), ("ident", 113),
            ("irc", 194), ("klogin", 543), ("kshell", 544), ("login", 513), ("lpd", 515), ("msrpc", 135), ("nntp", 119),
            ("onep-plain", 15001), ("onep-tls", 15002), ("pim-auto-rp", 496), ("pop2", 109), ("pop3", 110), ("smtp", 25),
            ("sunrpc", 111), ("syslog", 514), ("tacacs", 49), ("talk", 517), ("telnet", 23), ("time", 37), ("uucp", 540),
            ("whois", 43), ("www", 80), ("drip", 3949));

        private static readonly Dictionary<string, int> UdpPorts = Table(
            ("biff", 512), ("bootpc", 68), ("bootps", 67), ("discard", 9), ("dnsix", 195), ("domain", 53), ("echo", 7),
            ("isakmp", 500), ("mobile-ip", 434), ("nameserver", 42), ("netbios-dgm", 138), ("netbios-ns", 137),
            ("netbios-ss", 139), ("non500-isakmp", 4500), ("ntp", 123), ("pim-auto-rp", 496), ("rip", 520), ("ripv6", 521),
            ("snmp", 161), ("snmptrap", 162), ("sunrpc", 111), ("syslog", 514), ("tacacs", 49), ("talk", 517), ("tftp", 69),
            ("time", 37), ("who", 513), ("xdmcp", 177));

        /// <summary>ASA object names that IOS rejects, with the number to write instead.</summary>
        private static readonly Dictionary<string, int> AsaOnlyPorts = Table(
            ("ssh", 22), ("https", 443), ("http", 80), ("ldap", 389), ("ldaps", 636), ("nfs", 2049), ("imap", 143), ("imap4", 143),
            ("pop3s", 995), ("rdp", 3389), ("sqlnet", 1521), ("kerberos", 88), ("radius", 1645), ("snmp-trap", 162));

        /// <summary>Name -> (type, code); code -1 means every code of the type.</summary>
        private static readonly Dictionary<string, (int Type, int Code)> IcmpNames = Icmp4Table();

        private static readonly Dictionary<string, (int Type, int Code)> Icmpv6Names = new Dictionary<string, (int, int)>(StringComparer.OrdinalIgnoreCase)
        {
            ["unreachable"] = (1, -1), ["packet-too-big"] = (2, -1), ["time-exceeded"] = (3, -1), ["parameter-problem"] = (4, -1),
            ["echo-request"] = (128, -1), ["echo-reply"] = (129, -1), ["mld-query"] = (130, -1), ["mld-report"] = (131, -1),
            ["mld-reduction"] = (132, -1), ["router-solicitation"] = (133, -1), ["router-advertisement"] = (134, -1),
            ["nd-ns"] = (135, -1), ["nd-na"] = (136, -1), ["redirect"] = (137, -1), ["mldv2-report"] = (143, -1),
        };

        private static readonly Dictionary<string, int> DscpNames = Table(
            ("default", 0), ("cs1", 8), ("af11", 10), ("af12", 12), ("af13", 14), ("cs2", 16), ("af21", 18), ("af22", 20),
            ("af23", 22), ("cs3", 24), ("af31", 26), ("af32", 28), ("af33", 30), ("cs4", 32), ("af41", 34), ("af42", 36),
            ("af43", 38), ("cs5", 40), ("ef", 46), ("cs6", 48), ("cs7", 56));

        private static readonly Dictionary<string, int> PrecedenceNames = Table(
            ("routine", 0), ("priority", 1), ("immediate", 2), ("flash", 3), ("flash-override", 4), ("critical", 5),
            ("internet", 6), ("network", 7));

        private static readonly Dictionary<string, int> TosNames = Table(
            ("normal", 0), ("min-monetary-cost", 1), ("max-reliability", 2), ("max-throughput", 4), ("min-delay", 8));

        private static readonly HashSet<string> IpOptionNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "add-ext", "any-options", "com-security", "dps", "encode", "eool", "ext-ip", "ext-security", "finn", "imitd",
            "lsr", "mtup", "mtur", "no-op", "nsapa", "record-route", "router-alert", "sdb", "security", "ssr", "stream-id",
            "timestamp", "traceroute", "ump", "visa", "zsu",
        };

        public static bool TryProtocol(string token, bool ipv6, out int number)
        {
            if ((ipv6 ? Ipv6Protocols : Ipv4Protocols).TryGetValue(token, out number))
            {
                return true;
            }

            return TryNumber(token, 255, out number);
        }

        public static string ProtocolName(int number, bool ipv6)
        {
            foreach (KeyValuePair<string, int> entry in ipv6 ? Ipv6Protocols : Ipv4Protocols)
            {
                if (entry.Value == number)
                {
                    return entry.Key;
                }
            }

            return number.ToString(CultureInfo.InvariantCulture);
        }

        public static bool TryPortName(string token, int protocol, out int port) =>
            (protocol == Tcp ? TcpPorts : UdpPorts).TryGetValue(token, out port);

        /// <summary>True when the name belongs to the other transport protocol's table (e.g. <c>www</c> after udp).</summary>
        public static bool TryOtherProtocolPortName(string token, int protocol, out int port) =>
            (protocol == Tcp ? UdpPorts : TcpPorts).TryGetValue(token, out port);

        public static bool TryAsaOnlyPort(string token, out int port) => AsaOnlyPorts.TryGetValue(token, out port);

        public static bool TryIcmpName(string token, bool ipv6, out int type, out int code)
        {
            if ((ipv6 ? Icmpv6Names : IcmpNames).TryGetValue(token, out (int Type, int Code) entry))
            {
                type = entry.Type;
                code = entry.Code;
                return true;
            }

            type = code = 0;
            return false;
        }

        public static bool TryDscp(string token, out int value) => DscpNames.TryGetValue(token, out value) || TryNumber(token, 63, out value);

        public static bool TryPrecedence(string token, out int value) => PrecedenceNames.TryGetValue(token, out value) || TryNumber(token, 7, out value);

        public static bool TryTos(string token, out int value) => TosNames.TryGetValue(token, out value) || TryNumber(token, 15, out value);

        public static bool IsIpOption(string token) => IpOptionNames.Contains(token) || TryNumber(token, 255, out _);

        /// <summary>A plain decimal number from 0 to <paramref name="max"/>.</summary>
        public static bool TryNumber(string token, int max, out int value)
        {
            value = 0;
            if (token.Length == 0 || token.Length > 10)
            {
                return false;
            }

            long number = 0;
            foreach (char c in token)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }

                number = (number * 10) + (c - '0');
            }

            if (number > max)
            {
                return false;
            }

            value = (int)number;
            return true;
        }

        private static Dictionary<string, int> Table(params (string Name, int Value)[] entries)
        {
            var table = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach ((string name, int value) in entries)
            {
                table[name] = value;
            }

            return table;
        }

        private static Dictionary<string, (int Type, int Code)> Icmp4Table()
        {
            var table = new Dictionary<string, (int, int)>(StringComparer.OrdinalIgnoreCase);
            void Add(string name, int type, int code = -1) => table[name] = (type, code);
            Add("echo-reply", 0);
            Add("unreachable", 3);
            string[] unreachable =
            {
                "net-unreachable", "host-unreachable", "protocol-unreachable", "port-unreachable", "packet-too-big",
                "source-route-failed", "network-unknown", "host-unknown", "host-isolated", "dod-net-prohibited",
                "dod-host-prohibited", "net-tos-unreachable", "host-tos-unreachable", "administratively-prohibited",
                "host-precedence-unreachable", "precedence-unreachable",
            };
            for (int code = 0; code < unreachable.Length; code++)
            {
                Add(unreachable[code], 3, code);
            }

            Add("source-quench", 4);
            Add("redirect", 5);
            Add("net-redirect", 5, 0);
            Add("host-redirect", 5, 1);
            Add("net-tos-redirect", 5, 2);
            Add("host-tos-redirect", 5, 3);
            Add("alternate-address", 6);
            Add("echo", 8);
            Add("router-advertisement", 9);
            Add("router-solicitation", 10);
            Add("time-exceeded", 11);
            Add("ttl-exceeded", 11, 0);
            Add("reassembly-timeout", 11, 1);
            Add("parameter-problem", 12);
            Add("general-parameter-problem", 12, 0);
            Add("option-missing", 12, 1);
            Add("no-room-for-option", 12, 2);
            Add("timestamp-request", 13);
            Add("timestamp-reply", 14);
            Add("information-request", 15);
            Add("information-reply", 16);
            Add("mask-request", 17);
            Add("mask-reply", 18);
            Add("traceroute", 30);
            Add("conversion-error", 31);
            Add("mobile-redirect", 32);
            return table;
        }
    }
}
