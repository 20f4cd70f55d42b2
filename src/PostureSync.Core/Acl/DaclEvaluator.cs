using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace PostureSync.Core.Acl
{
    /// <summary>One list's lint findings and its result for each PSN.</summary>
    public sealed class DaclListCheck
    {
        internal DaclListCheck(AclList list, string[] findings, IReadOnlyList<DaclTestResult> results)
        {
            List = list;
            Findings = findings;
            Results = results;
        }

        public AclList List { get; }

        public string[] Findings { get; }

        public IReadOnlyList<DaclTestResult> Results { get; }
    }

    /// <summary>
    /// Decides, per PSN, whether a list denies every TCP packet to the PSN's state-sync port before anything permits
    /// one: a header-space walk (ACL-GRAMMAR.md "How to decide") over the set of target packets not yet decided.
    /// </summary>
    public static class DaclEvaluator
    {
        public const int DefaultPort = 8449;

        /// <summary>Past this many pieces the undecided set is too fragmented to follow; the verdict becomes Unknown.</summary>
        internal const int MaxRemainingPieces = 50000;

        private static readonly IPAddress PreferredIpv4Source = IPAddress.Parse("192.0.2.1");
        private static readonly IPAddress PreferredIpv6Source = IPAddress.Parse("2001:db8::1");
        private const int PreferredSourcePort = 1024;

        /// <summary>
        /// Lints each list and evaluates it for every PSN of its family. A PSN whose family no selected list has gets
        /// one Warn result per list saying the list does not filter that traffic.
        /// </summary>
        public static IReadOnlyList<DaclListCheck> Check(IReadOnlyList<AclList> lists, IReadOnlyList<PsnTarget> psns, int port, IPAddress? endpoint)
        {
            var checks = new List<DaclListCheck>();
            foreach (AclList list in lists)
            {
                string[] findings = AclLinter.Lint(list, psns, port).ToArray();
                var results = new List<DaclTestResult>();
                foreach (PsnTarget psn in psns)
                {
                    AclFamily family = FamilyOf(psn.Address);
                    if (family != list.Family && lists.Any(l => l.Family == family))
                    {
                        continue;
                    }

                    results.Add(EvaluateOne(list, psn, port, endpoint, findings));
                }

                checks.Add(new DaclListCheck(list, findings, results));
            }

            return checks;
        }

        /// <summary>One result per PSN, in order, with <paramref name="findings"/> attached to each.</summary>
        public static IReadOnlyList<DaclTestResult> Evaluate(AclList list, IReadOnlyList<PsnTarget> psns, int port, IPAddress? endpoint, IReadOnlyList<string>? findings = null)
        {
            string[] attached = findings?.ToArray() ?? Array.Empty<string>();
            return psns.Select(psn => EvaluateOne(list, psn, port, endpoint, attached)).ToList();
        }

        public static DaclTestResult EvaluateOne(AclList list, PsnTarget psn, int port, IPAddress? endpoint, string[] findings)
        {
            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(port), port, "The port must be from 1 to 65535.");
            }

            var result = new DaclTestResult
            {
                AclName = list.Name,
                Source = list.Source,
                InputFormat = list.InputFormat.ToString(),
                Psn = psn.DisplayName,
                Port = port,
                EndpointAddress = endpoint?.ToString(),
                Findings = findings,
            };
            bool ipv6 = list.Family == AclFamily.IPv6;
            string target = Describe(psn.Address, port);
            if (FamilyOf(psn.Address) != list.Family)
            {
                result.Verdict = DaclVerdict.Warn;
                result.Action = DaclAction.Unknown;
                result.Reason = string.Format(CultureInfo.InvariantCulture, "{0} is an {1} list, so it does not filter traffic to {2}; check the {3} dACL for this PSN.",
                    list.Name, list.Family, target, FamilyOf(psn.Address));
                return result;
            }

            bool endpointApplies = endpoint != null && FamilyOf(endpoint) == list.Family;
            Ternary source = endpointApplies ? Ternary.Host(endpoint!) : Ternary.Any;
            var targetCube = new HeaderCube(new Interval(AclTables.Tcp, AclTables.Tcp), source, HeaderCube.AllPorts, Ternary.Host(psn.Address), new Interval(port, port), ConnectionState.All);
            Ternary.Split(endpointApplies ? endpoint! : (ipv6 ? PreferredIpv6Source : PreferredIpv4Source), out ulong sHi, out ulong sLo);
            Ternary.Split(psn.Address, out ulong dHi, out ulong dLo);
            var preferred = new HeaderPoint(AclTables.Tcp, sHi, sLo, PreferredSourcePort, dHi, dLo, port, ConnectionState.Opening);
            string scope = endpointApplies ? "from " + endpoint : "from any source";

            new Walk(list, targetCube, preferred, target, scope, ipv6).Run(result);
            return result;
        }

        internal static AclFamily FamilyOf(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? AclFamily.IPv6 : AclFamily.IPv4;

        private static string Describe(IPAddress address, int port) =>
            (address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString()) + ":" + port.ToString(CultureInfo.InvariantCulture);

        internal static string LineList(IEnumerable<AclLine> lines)
        {
            List<string> numbers = lines.Select(l => l.LineNumber.ToString(CultureInfo.InvariantCulture)).ToList();
            return (numbers.Count == 1 ? "line " : "lines ") + string.Join(", ", numbers);
        }

        /// <summary>The walk for one PSN: the target packets not yet decided, narrowed line by line.</summary>
        private sealed class Walk
        {
            private readonly AclList list;
            private readonly HeaderPoint preferred;
            private readonly string target;
            private readonly string scope;
            private readonly bool ipv6;
            private readonly List<HeaderCube> scratch = new List<HeaderCube>();
            private readonly List<Ternary> ternaryScratch = new List<Ternary>();
            private List<HeaderCube> remaining;

            public Walk(AclList list, HeaderCube targetCube, HeaderPoint preferred, string target, string scope, bool ipv6)
            {
                this.list = list;
                this.preferred = preferred;
                this.target = target;
                this.scope = scope;
                this.ipv6 = ipv6;
                remaining = new List<HeaderCube> { targetCube };
            }

            public void Run(DaclTestResult result)
            {
                var denies = new List<AclLine>();
                var partialDenies = new List<AclLine>();
                AclLine? establishedDeny = null;
                AclLine? establishedPermit = null;
                foreach (AclLine line in list.Lines)
                {
                    if (line.Kind == AclLineKind.Remark || !Touches(line))
                    {
                        continue;
                    }

                    if (line.Kind == AclLineKind.Invalid)
                    {
                        Decide(result, DaclVerdict.Unknown, DaclAction.Unknown, line, string.Format(CultureInfo.InvariantCulture,
                            "Line {0} does not parse and may match TCP to {1}, so the outcome cannot be decided; fix the line ({2}).",
                            line.LineNumber, target, line.Error?.Message));
                        return;
                    }

                    if (line.Unmodelled != null)
                    {
                        Decide(result, DaclVerdict.Unknown, DaclAction.Unknown, line, string.Format(CultureInfo.InvariantCulture,
                            "Line {0} uses {1}, which cannot be evaluated, and may match TCP to {2} {3}, so the outcome is unknown.",
                            line.LineNumber, line.Unmodelled, target, scope));
                        return;
                    }

                    if (line.IsPermit == true)
                    {
                        if (TryOpening(line, out HeaderPoint leak))
                        {
                            Decide(result, DaclVerdict.Fail, DaclAction.Permit, line, PermitReason(line, establishedDeny, partialDenies));
                            result.CounterExample = leak.Describe(ipv6) + (line.IsPartial ? " with " + line.PartialOptions : string.Empty);
                            return;
                        }

                        // Only packets with ACK or RST reach this permit: no connection can open through it.
                        establishedPermit ??= line;
                        if (line.IsExact && !Subtract(line, result))
                        {
                            return;
                        }

                        continue;
                    }

                    if (line.IsPartial)
                    {
                        partialDenies.Add(line);
                        continue;
                    }

                    if (line.Cubes.All(c => c.Connection == ConnectionState.Established))
                    {
                        establishedDeny ??= line;
                    }

                    denies.Add(line);
                    if (!Subtract(line, result))
                    {
                        return;
                    }

                    if (remaining.Count == 0)
                    {
                        if (establishedPermit != null)
                        {
                            Decide(result, DaclVerdict.Warn, DaclAction.Deny, line, string.Format(CultureInfo.InvariantCulture,
                                "{0} denies the opening SYN to {1}, so no connection can open, but line {2} permits established TCP to it first; move the deny above line {2}.",
                                Capitalised(LineList(denies)), target, establishedPermit.LineNumber));
                        }
                        else
                        {
                            Decide(result, DaclVerdict.Pass, DaclAction.Deny, line, string.Format(CultureInfo.InvariantCulture,
                                "{0} {1} all TCP to {2} {3} before any permit.", Capitalised(LineList(denies)), denies.Count == 1 ? "denies" : "deny", target, scope));
                        }

                        return;
                    }
                }

                string partly = denies.Count + partialDenies.Count == 0
                    ? string.Empty
                    : " (" + LineList(denies.Concat(partialDenies).OrderBy(l => l.LineNumber)) + " deny only part of it)";
                string established = establishedPermit is null ? string.Empty : ", and line " + establishedPermit.LineNumber.ToString(CultureInfo.InvariantCulture) + " permits established TCP to it";
                Decide(result, DaclVerdict.Warn, DaclAction.ImplicitDeny, null, string.Format(CultureInfo.InvariantCulture,
                    "No line permits TCP to {0} {1}, but only the implicit deny at the end stops it{2}{3}: not explicitly denied; add 'deny tcp any {4} eq {5}' at the top.",
                    target, scope, partly, established, HostText(), preferred.DestinationPort));
            }

            private string PermitReason(AclLine line, AclLine? establishedDeny, List<AclLine> partialDenies)
            {
                if (establishedDeny != null)
                {
                    return string.Format(CultureInfo.InvariantCulture,
                        "Line {0} permits the opening SYN to {1}: line {2} denies only established packets ('established'); remove 'established' from line {2}.",
                        line.LineNumber, target, establishedDeny.LineNumber);
                }

                string partial = partialDenies.Count == 0 ? string.Empty : " (" + LineList(partialDenies) + " deny only packets with particular options)";
                return string.Format(CultureInfo.InvariantCulture, "Line {0} permits TCP to {1} {2} before any deny covers it{3}; put 'deny tcp any {4} eq {5}' above it.",
                    line.LineNumber, target, scope, partial, HostText(), preferred.DestinationPort);
            }

            private string HostText() => "host " + Ternary.Format(preferred.DestinationHi, preferred.DestinationLo, ipv6);

            private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);

            private bool Touches(AclLine line)
            {
                foreach (HeaderCube piece in remaining)
                {
                    foreach (HeaderCube cube in line.Cubes)
                    {
                        if (piece.Intersects(cube))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            /// <summary>A packet that can open a connection (no ACK/RST) and that the line matches, nearest to the preferred one.</summary>
            private bool TryOpening(AclLine line, out HeaderPoint leak)
            {
                bool found = false;
                leak = default;
                foreach (HeaderCube piece in remaining)
                {
                    foreach (HeaderCube cube in line.Cubes)
                    {
                        if (!piece.Intersects(cube))
                        {
                            continue;
                        }

                        HeaderCube both = piece.Intersect(cube);
                        if ((both.Connection & ConnectionState.Opening) == 0)
                        {
                            continue;
                        }

                        HeaderPoint candidate = HeaderPoint.Nearest(both.WithConnection(ConnectionState.Opening), preferred);
                        if (candidate.SameAs(preferred))
                        {
                            leak = candidate;
                            return true;
                        }

                        if (!found)
                        {
                            leak = candidate;
                            found = true;
                        }
                    }
                }

                return found;
            }

            private bool Subtract(AclLine line, DaclTestResult result)
            {
                foreach (HeaderCube cube in line.Cubes)
                {
                    scratch.Clear();
                    foreach (HeaderCube piece in remaining)
                    {
                        piece.Subtract(cube, scratch, ternaryScratch);
                    }

                    List<HeaderCube> swap = remaining;
                    remaining = new List<HeaderCube>(scratch);
                    swap.Clear();
                    if (remaining.Count > MaxRemainingPieces)
                    {
                        Decide(result, DaclVerdict.Unknown, DaclAction.Unknown, line, string.Format(CultureInfo.InvariantCulture,
                            "By line {0} the traffic to {1} not yet decided is split into more than {2} pieces, too many to follow; simplify the list.",
                            line.LineNumber, target, MaxRemainingPieces));
                        return false;
                    }
                }

                return true;
            }

            private static void Decide(DaclTestResult result, string verdict, string action, AclLine? line, string reason)
            {
                result.Verdict = verdict;
                result.Action = action;
                result.DecidingLine = line?.LineNumber;
                result.DecidingAce = line?.Text;
                result.Reason = reason;
            }
        }
    }
}
