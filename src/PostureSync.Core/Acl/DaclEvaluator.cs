using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using PostureSync.Core.Net;

namespace PostureSync.Core.Acl
{
    /// <summary>One list's lint findings and its result for each PSN.</summary>
    internal sealed class DaclListCheck
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
    internal static class DaclEvaluator
    {

        /// <summary>Past this many pieces the undecided set is too fragmented to follow; the verdict becomes Unknown.</summary>
        internal const int MaxRemainingPieces = 50000;

        /// <summary>
        /// Steps (a piece compared with a line's cube) all the walks of one check (every PSN through every list) may
        /// take together: about half a second of CPU. A long list whose lines keep splitting the undecided traffic (denies of
        /// many small sources before the PSN's deny) would otherwise compare every later line with tens of thousands
        /// of pieces, once per PSN. Counted, not timed, so a verdict never depends on how busy the machine is.
        /// </summary>
        internal const long EvaluationSteps = 25_000_000;

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
            bool anyIpv4 = lists.Any(l => l.Family == AclFamily.IPv4), anyIpv6 = lists.Any(l => l.Family == AclFamily.IPv6);
            WorkBudget shadowing = WorkBudget.Default();
            var steps = new StepShares(lists.Count * psns.Count);
            foreach (AclList list in lists)
            {
                string[] findings = AclLinter.Lint(list, psns, port, shadowing).ToArray();
                var results = new List<DaclTestResult>();
                foreach (PsnTarget psn in psns)
                {
                    AclFamily family = FamilyOf(psn.Address);
                    if (family != list.Family && (family == AclFamily.IPv4 ? anyIpv4 : anyIpv6))
                    {
                        continue;
                    }

                    results.Add(EvaluateOne(list, psn, port, endpoint, findings, steps));
                }

                checks.Add(new DaclListCheck(list, findings, results));
            }

            return checks;
        }

        /// <summary>One result per PSN, in order, with <paramref name="findings"/> attached to each.</summary>
        public static IReadOnlyList<DaclTestResult> Evaluate(AclList list, IReadOnlyList<PsnTarget> psns, int port, IPAddress? endpoint, IReadOnlyList<string>? findings = null)
        {
            string[] attached = findings?.ToArray() ?? Array.Empty<string>();
            var steps = new StepShares(psns.Count);
            return psns.Select(psn => EvaluateOne(list, psn, port, endpoint, attached, steps)).ToList();
        }

        /// <summary>One PSN through one list; <paramref name="steps"/> is the check's shared step budget (null: a walk of its own).</summary>
        public static DaclTestResult EvaluateOne(AclList list, PsnTarget psn, int port, IPAddress? endpoint, string[] findings, StepShares? steps = null)
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
                PsnAddress = psn.Address.ToString(),
                Port = port,
                EndpointAddress = endpoint?.ToString(),
                Findings = findings,
            };
            bool ipv6 = list.Family == AclFamily.IPv6;
            string target = Describe(psn.Address, port);
            if (FamilyOf(psn.Address) != list.Family)
            {
                result.Verdict = DaclVerdicts.Warn;
                result.Action = DaclActions.Unknown;
                result.Reason = string.Format(CultureInfo.InvariantCulture, "{0} is an {1} list, so it does not filter traffic to {2}; check the {3} dACL for this PSN.",
                    list.Name, list.Family, target, FamilyOf(psn.Address));
                return result;
            }

            bool endpointApplies = endpoint != null && FamilyOf(endpoint) == list.Family;
            Ternary source = endpointApplies ? Ternary.Host(endpoint!) : Ternary.Any;
            var targetCube = new HeaderCube(new Interval(AclTables.Tcp, AclTables.Tcp), source, HeaderCube.AllPorts, Ternary.Host(psn.Address), new Interval(port, port), ConnectionStates.All);
            Ternary.Split(endpointApplies ? endpoint! : (ipv6 ? PreferredIpv6Source : PreferredIpv4Source), out ulong sHi, out ulong sLo);
            Ternary.Split(psn.Address, out ulong dHi, out ulong dLo);
            var preferred = new HeaderPoint(AclTables.Tcp, sHi, sLo, PreferredSourcePort, dHi, dLo, port, ConnectionStates.Opening);
            string scope = endpointApplies ? "from " + endpoint : "from any source";

            steps ??= new StepShares(1);
            var budget = new WorkBudget(steps.NextShare(), TimeSpan.MaxValue);
            new Walk(list, targetCube, preferred, target, scope, ipv6, budget).Run(result);
            steps.Spend(budget);
            return result;
        }

        /// <summary>
        /// The steps of one check, shared among its walks in order: each walk gets what is left divided by the walks
        /// still to come. The whole check stays within <see cref="EvaluationSteps"/> however many PSNs and lists it
        /// has, and no share is smaller than the first (a walk leaves at most its own share spent), so a PSN a list
        /// denies near its top is still decided after another PSN's walk ran out.
        /// </summary>
        internal sealed class StepShares
        {
            private long left = EvaluationSteps;
            private int walksLeft;

            public StepShares(int walks) => walksLeft = Math.Max(1, walks);

            public long NextShare() => left / walksLeft;

            /// <summary>Takes what a walk charged to its share (at most the share) from what is left.</summary>
            public void Spend(WorkBudget share)
            {
                left -= Math.Min(share.Units, Math.Max(0, share.Units - share.Remaining));
                walksLeft = Math.Max(1, walksLeft - 1);
            }
        }

        internal static AclFamily FamilyOf(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? AclFamily.IPv6 : AclFamily.IPv4;

        private static string Describe(IPAddress address, int port) =>
            EndpointText.Format(address.ToString(), port);

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
            private readonly List<Ternary> ternaryScratch = new List<Ternary>();
            private readonly WorkBudget budget;
            private List<HeaderCube> remaining;
            private List<HeaderCube> scratch = new List<HeaderCube>();

            public Walk(AclList list, HeaderCube targetCube, HeaderPoint preferred, string target, string scope, bool ipv6, WorkBudget budget)
            {
                this.list = list;
                this.budget = budget;
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

                // Denies this check cannot see into (object-group, time-range, several flags): they may or may not match.
                var uncertainDenies = new List<AclLine>();
                AclLine? establishedDeny = null;
                AclLine? establishedPermit = null;
                AclLine? synDeny = null;
                foreach (AclLine line in list.Lines)
                {
                    if (line.Kind == AclLineKind.Remark)
                    {
                        continue;
                    }

                    // Each step below compares the undecided pieces with the line's cubes, some of them a few times.
                    budget.Charge(4L * remaining.Count * Math.Max(1, line.Cubes.Count));
                    if (budget.Spent)
                    {
                        Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, line, string.Format(CultureInfo.InvariantCulture,
                            "By line {0} the traffic to {1} not yet decided is split into {2} pieces, and following them through the rest of the list is more work than one check may do ({3:N0} steps); put the deny for it at the top, or simplify the list.",
                            line.LineNumber, target, remaining.Count, budget.Units));
                        return;
                    }

                    if (!Touches(line))
                    {
                        continue;
                    }

                    if (line.Kind == AclLineKind.Invalid)
                    {
                        Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, line, string.Format(CultureInfo.InvariantCulture,
                            "Line {0} does not parse and may match TCP to {1}, so the outcome cannot be decided; fix the line ({2}).",
                            line.LineNumber, target, line.Error?.Message));
                        return;
                    }

                    if (line.Unmodelled != null)
                    {
                        if (line.IsPermit == false)
                        {
                            // A deny can only deny: the walk goes on, so that a packet a later permit lets through
                            // whatever this line means is still reported as a Fail. It never ends in a Pass.
                            uncertainDenies.Add(line);
                            continue;
                        }

                        Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, line, string.Format(CultureInfo.InvariantCulture,
                            "Line {0} uses {1}, which cannot be evaluated, and may permit TCP to {2} {3}, so the outcome is unknown.",
                            line.LineNumber, line.Unmodelled, target, scope));
                        return;
                    }

                    if (line.IsPermit == true)
                    {
                        if (TryOpening(line, remaining, out HeaderPoint leak))
                        {
                            if (uncertainDenies.Count > 0 && !TryOpening(line, Without(uncertainDenies), out leak))
                            {
                                AclLine uncertain = uncertainDenies[0];
                                Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, uncertain, string.Format(CultureInfo.InvariantCulture,
                                    "Line {0} permits TCP to {1} {2} unless line {3} denies it first, and line {3} uses {4}, which cannot be evaluated, so the outcome is unknown.",
                                    line.LineNumber, target, scope, uncertain.LineNumber, uncertain.Unmodelled));
                                return;
                            }

                            Decide(result, DaclVerdicts.Fail, DaclActions.Permit, line, PermitReason(line, establishedDeny, partialDenies));
                            result.CounterExample = leak.Describe(ipv6) + (line.IsPartial ? " with " + line.PartialOptions : string.Empty) + NotMatching(leak, partialDenies);
                            return;
                        }

                        // Only packets with ACK or RST reach this permit: no connection can open through it.
                        establishedPermit ??= line;
                        if (line.IsExact && !Subtract(line, line.Cubes, result))
                        {
                            return;
                        }

                        if (remaining.Count == 0)
                        {
                            if (uncertainDenies.Count > 0)
                            {
                                AclLine uncertain = uncertainDenies[0];
                                Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, uncertain, string.Format(CultureInfo.InvariantCulture,
                                    "Line {0} uses {1}, which cannot be evaluated, and may match TCP to {2} {3}, so the outcome is unknown.",
                                    uncertain.LineNumber, uncertain.Unmodelled, target, scope));
                                return;
                            }

                            Decide(result, DaclVerdicts.Warn, DaclActions.Deny, synDeny ?? denies.LastOrDefault() ?? line, string.Format(CultureInfo.InvariantCulture,
                                "{0} {1} every opening SYN to {2}, so no connection can open, but line {3} permits the rest of the TCP to it (ACK or RST set){4}; deny all TCP to it.",
                                Capitalised(LineList(denies)), denies.Count == 1 ? "denies" : "deny", target, line.LineNumber,
                                synDeny is null ? string.Empty : "; line " + synDeny.LineNumber.ToString(CultureInfo.InvariantCulture) + " matches only 'syn', drop it"));
                            return;
                        }

                        continue;
                    }

                    if (line.IsPartial && !line.MatchesEveryOpening)
                    {
                        partialDenies.Add(line);
                        continue;
                    }

                    if (line.Cubes.All(c => c.Connection == ConnectionStates.Established))
                    {
                        establishedDeny ??= line;
                    }

                    IReadOnlyList<HeaderCube> denied = line.Cubes;
                    if (line.MatchesEveryOpening)
                    {
                        // 'syn' matches the opening SYN (and SYN-ACK), not the rest of the connection.
                        synDeny ??= line;
                        denied = line.Cubes.Where(c => (c.Connection & ConnectionStates.Opening) != 0).Select(c => c.WithConnection(ConnectionStates.Opening)).ToList();
                    }

                    denies.Add(line);
                    if (!Subtract(line, denied, result))
                    {
                        return;
                    }

                    if (remaining.Count == 0)
                    {
                        if (uncertainDenies.Count > 0)
                        {
                            AclLine uncertain = uncertainDenies[0];
                            Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, uncertain, string.Format(CultureInfo.InvariantCulture,
                                "Line {0} uses {1}, which cannot be evaluated, and may match TCP to {2} {3} before {4} denies it: denied either way, but the result cannot rest on a line that cannot be checked.",
                                uncertain.LineNumber, uncertain.Unmodelled, target, scope, LineList(denies)));
                        }
                        else if (establishedPermit != null)
                        {
                            Decide(result, DaclVerdicts.Warn, DaclActions.Deny, line, string.Format(CultureInfo.InvariantCulture,
                                "{0} denies the opening SYN to {1}, so no connection can open, but line {2} permits established TCP to it first; move the deny above line {2}.",
                                Capitalised(LineList(denies)), target, establishedPermit.LineNumber));
                        }
                        else
                        {
                            Decide(result, DaclVerdicts.Pass, DaclActions.Deny, line, string.Format(CultureInfo.InvariantCulture,
                                "{0} {1} all TCP to {2} {3} before any permit.", Capitalised(LineList(denies)), denies.Count == 1 ? "denies" : "deny", target, scope));
                        }

                        return;
                    }
                }

                AclLine? undecided = uncertainDenies.FirstOrDefault(u => Touches(u));
                if (undecided != null)
                {
                    Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, undecided, string.Format(CultureInfo.InvariantCulture,
                        "No line permits TCP to {0} {1}, but whether line {2} denies it explicitly or only the implicit deny at the end does depends on {3}, which cannot be evaluated.",
                        target, scope, undecided.LineNumber, undecided.Unmodelled));
                    return;
                }

                string partly = denies.Count + partialDenies.Count == 0
                    ? string.Empty
                    : " (" + LineList(denies.Concat(partialDenies).OrderBy(l => l.LineNumber)) + " deny only part of it)";
                string established = establishedPermit is null ? string.Empty : ", and line " + establishedPermit.LineNumber.ToString(CultureInfo.InvariantCulture) + " permits established TCP to it";
                Decide(result, DaclVerdicts.Warn, DaclActions.ImplicitDeny, null, string.Format(CultureInfo.InvariantCulture,
                    "No line permits TCP to {0} {1}, but only the implicit deny at the end stops it{2}{3}: not explicitly denied; {4}.",
                    target, scope, partly, established, Advice("at the top")));
            }

            /// <summary>The undecided packets that the given lines cannot match, whatever their unmodelled parts mean.</summary>
            private List<HeaderCube> Without(List<AclLine> lines)
            {
                var pieces = new List<HeaderCube>(remaining);
                var next = new List<HeaderCube>();
                foreach (HeaderCube cube in lines.SelectMany(l => l.Cubes))
                {
                    next.Clear();
                    foreach (HeaderCube piece in pieces)
                    {
                        piece.Subtract(cube, next, ternaryScratch);
                    }

                    (pieces, next) = (next, pieces);
                    if (pieces.Count > MaxRemainingPieces)
                    {
                        // Too fragmented to prove a sure leak: the caller then calls the outcome unknown, never a pass.
                        return new List<HeaderCube>();
                    }
                }

                return pieces;
            }

            /// <summary>" not matching 'dscp ef'" for the partial denies that also name the counter-example packet.</summary>
            private static string NotMatching(HeaderPoint leak, List<AclLine> partialDenies)
            {
                List<string> options = partialDenies.Where(l => l.Cubes.Any(c => c.Contains(leak))).Select(l => "'" + l.PartialOptions + "'").Distinct().ToList();
                return options.Count == 0 ? string.Empty : " not matching " + string.Join(" or ", options);
            }

            /// <summary>What to add to deny the PSN: an extended ACE, or for a standard list (source only) a pointer to an extended one.</summary>
            private string Advice(string where) => list.IsStandard
                ? "a standard list matches the source only and cannot name the PSN or the port: use an extended list with 'deny tcp any " + HostText() + " eq " + preferred.DestinationPort.ToString(CultureInfo.InvariantCulture) + "'"
                : "add 'deny tcp any " + HostText() + " eq " + preferred.DestinationPort.ToString(CultureInfo.InvariantCulture) + "' " + where;

            private string PermitReason(AclLine line, AclLine? establishedDeny, List<AclLine> partialDenies)
            {
                if (establishedDeny != null)
                {
                    return string.Format(CultureInfo.InvariantCulture,
                        "Line {0} permits the opening SYN to {1}: line {2} denies only established packets ('established'); remove 'established' from line {2}.",
                        line.LineNumber, target, establishedDeny.LineNumber);
                }

                string partial = partialDenies.Count == 0 ? string.Empty : " (" + LineList(partialDenies) + " deny only packets with particular options)";
                return string.Format(CultureInfo.InvariantCulture, "Line {0} permits TCP to {1} {2} before any deny covers it{3}; {4}.",
                    line.LineNumber, target, scope, partial, Advice("above line " + line.LineNumber.ToString(CultureInfo.InvariantCulture)));
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
            private bool TryOpening(AclLine line, List<HeaderCube> pieces, out HeaderPoint leak)
            {
                bool found = false;
                leak = default;
                foreach (HeaderCube piece in pieces)
                {
                    foreach (HeaderCube cube in line.Cubes)
                    {
                        if (!piece.Intersects(cube))
                        {
                            continue;
                        }

                        HeaderCube both = piece.Intersect(cube);
                        if ((both.Connection & ConnectionStates.Opening) == 0)
                        {
                            continue;
                        }

                        HeaderPoint candidate = HeaderPoint.Nearest(both.WithConnection(ConnectionStates.Opening), preferred);
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

            private bool Subtract(AclLine line, IReadOnlyList<HeaderCube> cubes, DaclTestResult result)
            {
                foreach (HeaderCube cube in cubes)
                {
                    scratch.Clear();
                    foreach (HeaderCube piece in remaining)
                    {
                        piece.Subtract(cube, scratch, ternaryScratch);
                    }

                    (remaining, scratch) = (scratch, remaining);
                    if (remaining.Count > MaxRemainingPieces)
                    {
                        Decide(result, DaclVerdicts.Unknown, DaclActions.Unknown, line, string.Format(CultureInfo.InvariantCulture,
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
