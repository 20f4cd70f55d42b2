using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PostureSync.Core.Net
{
    /// <summary>
    /// A host with an optional port, as admins and profiles write them: <c>psn1</c>, <c>10.1.1.1:8449</c>,
    /// <c>[2001:db8::1]:8449</c>, or a bare IPv6 literal.
    /// </summary>
    internal sealed class HostPort
    {
        private HostPort(string host, int? port)
        {
            Host = host;
            Port = port;
        }

        public string Host { get; }

        public int? Port { get; }

        public override string ToString() => Port is null
            ? Host
            : EndpointText.Format(Host, Port.Value);

        /// <summary>Parses one entry; returns false with a reason when it is not a host name or address.</summary>
        public static bool TryParse(string? text, out HostPort? value, out string? problem)
        {
            value = null;
            problem = null;
            string s = (text ?? string.Empty).Trim();
            if (s.Length == 0)
            {
                problem = "it is empty";
                return false;
            }

            string host = s;
            string? portText = null;
            if (s[0] == '[')
            {
                int close = s.IndexOf(']');
                if (close < 0)
                {
                    problem = "'[' opens an IPv6 address that is never closed with ']'";
                    return false;
                }

                host = s.Substring(1, close - 1);
                string rest = s.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':')
                    {
                        problem = "after ']' only ':port' may follow";
                        return false;
                    }

                    portText = rest.Substring(1);
                }

                if (!IPAddress.TryParse(host, out IPAddress? bracketed) || bracketed.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    problem = "'" + host + "' inside brackets is not an IPv6 address";
                    return false;
                }
            }
            else
            {
                int colons = CountColons(s);
                if (colons == 1)
                {
                    int colon = s.IndexOf(':');
                    host = s.Substring(0, colon);
                    portText = s.Substring(colon + 1);
                }
                else if (colons > 1)
                {
                    // A bare IPv6 literal: no port can be written without brackets.
                    if (!IPAddress.TryParse(s, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                    {
                        problem = "'" + s + "' is not an IPv6 address (write a port as [address]:port)";
                        return false;
                    }

                    host = s;
                }
            }

            int? port = null;
            if (portText != null)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p < 1 || p > 65535)
                {
                    problem = "the port '" + portText + "' is not a number from 1 to 65535";
                    return false;
                }

                port = p;
            }

            if (!IsHostNameOrAddress(host))
            {
                problem = "'" + host + "' is not a host name or an IP address";
                return false;
            }

            value = new HostPort(host, port);
            return true;
        }

        /// <summary>True for an IPv4/IPv6 literal or an RFC 1123 host name.</summary>
        public static bool IsHostNameOrAddress(string host)
        {
            if (host.Length == 0 || host.Length > 253)
            {
                return false;
            }

            if (host.IndexOf(':') >= 0)
            {
                return IPAddress.TryParse(host, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
            }

            if (LooksNumeric(host))
            {
                return IsDottedQuad(host);
            }

            string name = host.EndsWith(".", StringComparison.Ordinal) ? host.Substring(0, host.Length - 1) : host;
            foreach (string label in name.Split('.'))
            {
                if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-')
                {
                    return false;
                }

                foreach (char c in label)
                {
                    if (!(c < 128 && (char.IsLetterOrDigit(c) || c == '-' || c == '_')))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private static bool LooksNumeric(string host)
        {
            foreach (char c in host)
            {
                if (!(c == '.' || (c >= '0' && c <= '9')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsDottedQuad(string host)
        {
            string[] parts = host.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            foreach (string part in parts)
            {
                if (part.Length == 0 || part.Length > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 255)
                {
                    return false;
                }
            }

            return true;
        }

        private static int CountColons(string s)
        {
            int n = 0;
            foreach (char c in s)
            {
                if (c == ':')
                {
                    n++;
                }
            }

            return n;
        }
    }
}
