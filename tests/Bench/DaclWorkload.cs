using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace PostureSync.Bench
{
    /// <summary>
    /// A reproducible workload for the Test-ComplianceDacl benchmark (compiled by tests/Bench/ComplianceDacl.Bench.ps1,
    /// and linked into the xunit project for the large-input tests; text only, since the engine it feeds is internal): a generated dACL with the PSN denies on top, a
    /// mix of host, subnet, port-range and ICMP lines, repeated lines and Batfish-style unions (so the shadowing check
    /// has real work), and <c>permit ip any any</c> at the end.
    /// </summary>
    public static class DaclWorkload
    {
        /// <summary>The PSNs the generated list denies: 10.1.0.1, 10.1.0.2, ...</summary>
        public static string[] PsnAddresses(int count) =>
            Enumerable.Range(1, count).Select(i => Address(10, 1, i / 256, i % 256).ToString()).ToArray();

        /// <summary>A remark and <paramref name="aceCount"/> ACEs; every PSN is denied on top, so every verdict is Pass.</summary>
        public static string Generate(int aceCount, int psnCount)
        {
            var text = new StringBuilder("remark generated benchmark dACL\n");
            var lines = new List<string>();
            for (int i = 0; lines.Count < aceCount - 1; i++)
            {
                if (i < psnCount)
                {
                    lines.Add(Invariant($"deny tcp any host 10.1.{(i + 1) / 256}.{(i + 1) % 256} eq 8449"));
                    continue;
                }

                int a = 20 + (i / 65536 % 200), b = i / 256 % 256, c = i % 256;
                if (i % 50 == 0 && lines.Count > 2 * psnCount)
                {
                    lines.Add(lines[lines.Count - 7]);
                    continue;
                }

                if (i % 100 == 1 && lines.Count + 3 < aceCount)
                {
                    // permit /25 + deny /25 together shadow the /24 that follows.
                    lines.Add(Invariant($"permit ip any 1.{b}.{c}.0 0.0.0.127"));
                    lines.Add(Invariant($"deny ip any 1.{b}.{c}.128 0.0.0.127"));
                    lines.Add(Invariant($"permit ip any 1.{b}.{c}.0 0.0.0.255"));
                    continue;
                }

                lines.Add((i % 6) switch
                {
                    0 => Invariant($"permit tcp any host {a}.{b}.{c}.{i % 7 + 1} eq {1024 + (i % 5000)}"),
                    1 => Invariant($"permit udp any {a}.{b}.{c}.0 0.0.0.255 eq domain"),
                    2 => Invariant($"deny ip 172.16.{b}.{c} 0.0.0.3 any"),
                    3 => Invariant($"permit tcp any 192.168.{c}.0 0.0.0.255 range {1000 + b} {2000 + b}"),
                    4 => Invariant($"permit icmp any host {a}.{b}.{c}.9 echo"),
                    _ => Invariant($"permit tcp {a}.{b}.{c}.0 0.0.3.3 any eq 443 log"),
                });
            }

            lines.Add("permit ip any any");
            foreach (string line in lines)
            {
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }

        private static IPAddress Address(int a, int b, int c, int d) => new IPAddress(new[] { (byte)a, (byte)b, (byte)c, (byte)d });

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
