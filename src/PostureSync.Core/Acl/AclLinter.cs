using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// Findings for one list, each <c>&lt;ID&gt; &lt;Severity&gt;: &lt;what&gt; &lt;what to do&gt;</c>:
    /// ACL001 shadowed line, ACL002 line that can never match, ACL003 sync-port deny below a permit, ACL004 PSN
    /// without an explicit deny, ACL005 sync-port deny for an address that is not a PSN, ACL006 sync-port deny with a
    /// source other than any, ACL007 netmask-looking wildcard, ACL008 object-group, ACL009 time-range,
    /// ACL010 ASA-only port name, ACL011 NX-OS prefix form, ACL012 reversed range, ACL013 combined TCP flags,
    /// ACL014 shadowing check stopped (list too large or too fragmented), ACL015 an IOS '!' comment line,
    /// ACL016 more line findings than are kept.
    /// </summary>
    internal static class AclLinter
    {
        /// <summary>Blocking lines named in one finding; the rest are counted.</summary>
        private const int MaxNamedBlockers = 8;

        /// <summary>Findings about single lines kept per list; the rest are counted in one ACL016 finding.</summary>
        internal const int MaxLineFindings = 1000;

        /// <summary>
        /// Lints <paramref name="list"/>. PSNs of the other family are ignored; with none, the sync-port checks that
        /// need PSNs (ACL004, ACL005) are skipped.
        /// </summary>
        public static IReadOnlyList<string> Lint(AclList list, IReadOnlyList<PsnTarget> psns, int port) =>
            Lint(list, psns, port, WorkBudget.Default());

        /// <summary>As <see cref="Lint(AclList, IReadOnlyList{PsnTarget}, int)"/>, spending the shadowing check from <paramref name="budget"/>.</summary>
        internal static IReadOnlyList<string> Lint(AclList list, IReadOnlyList<PsnTarget> psns, int port, WorkBudget budget)
        {
            var findings = new FindingSink();
            void Add(int lineNumber, string id, Func<string> text) => findings.Add(lineNumber, id, text);

            foreach (AclLine line in list.Lines)
            {
                foreach (AclNote note in line.Notes)
                {
                    Add(line.LineNumber, note.Id, () => Finding(note.Id, note.Severity, "line " + Number(line) + " " + note.Text));
                }

                if (line.Kind == AclLineKind.Ace && line.Cubes.Count == 0)
                {
                    Add(line.LineNumber, "ACL002", () => Finding("ACL002", "Warning",
                        "line " + Number(line) + " '" + line.Text + "' can never match (its ports leave nothing, e.g. 'lt 0' or 'gt 65535'); fix the ports or remove it."));
                }
            }

            var shadowing = new ShadowChecker(list.Family == AclFamily.IPv6, budget);
            foreach (AclLine line in list.Lines.Where(l => l.Kind == AclLineKind.Ace && l.Cubes.Count > 0))
            {
                ShadowChecker.Outcome outcome = shadowing.Check(line, out IReadOnlyList<AclLine> blockers);
                if (outcome == ShadowChecker.Outcome.Shadowed)
                {
                    Add(line.LineNumber, "ACL001", () => Shadowed(line, blockers));

                    // It adds nothing to the union of earlier lines: keeping it would only make later checks slower.
                    continue;
                }
                else if (outcome == ShadowChecker.Outcome.Undetermined)
                {
                    Add(line.LineNumber, "ACL014", () => Finding("ACL014", FindingSeverities.Information,
                        "line " + Number(line) + " was not checked for shadowing: the earlier lines cut it into too many pieces to follow; check it by hand."));
                }
                else if (outcome == ShadowChecker.Outcome.GaveUp)
                {
                    // Never capped: it says the rest of the list was not checked.
                    findings.AddUncapped(line.LineNumber, "ACL014", Finding("ACL014", FindingSeverities.Information,
                        "the shadowing check stopped at line " + Number(line) + ": the list is too large or too fragmented to finish within bounds; lines from here on were not checked for shadowing, split the list to check them."));
                    break;
                }

                shadowing.Add(line);
            }

            SyncPortFindings(list, psns.Where(p => DaclEvaluator.FamilyOf(p.Address) == list.Family).ToList(), port, findings);
            return findings.Sorted();
        }

        private static string Shadowed(AclLine line, IReadOnlyList<AclLine> blockers)
        {
            List<AclLine> other = blockers.Where(b => b.IsPermit != line.IsPermit).ToList();
            string named = DaclEvaluator.LineList(blockers.Take(MaxNamedBlockers));
            if (blockers.Count > MaxNamedBlockers)
            {
                named += " and " + (blockers.Count - MaxNamedBlockers).ToString(CultureInfo.InvariantCulture) + " more";
            }

            if (other.Count > 0)
            {
                return Finding("ACL001", "Warning", string.Format(CultureInfo.InvariantCulture,
                    "line {0} '{1}' is shadowed by {2}, so it never matches; {3} {4} the other action ({5}): move line {0} above {6} if it should win.",
                    Number(line), line.Text, named, DaclEvaluator.LineList(other.Take(MaxNamedBlockers)), other.Count == 1 ? "has" : "have",
                    line.IsPermit == true ? "deny" : "permit", DaclEvaluator.LineList(other.Take(1))));
            }

            return Finding("ACL001", FindingSeverities.Information, string.Format(CultureInfo.InvariantCulture,
                "line {0} '{1}' is shadowed by {2} (same action), so it never matches; remove it.", Number(line), line.Text, named));
        }

        private static void SyncPortFindings(AclList list, IReadOnlyList<PsnTarget> psns, int port, FindingSink findings)
        {
            AclLine? firstPermit = null;
            var psnCubes = psns.Select(p => (Psn: p, Cube: new HeaderCube(new Interval(AclTables.Tcp, AclTables.Tcp), Ternary.Any, HeaderCube.AllPorts,
                Ternary.Host(p.Address), new Interval(port, port), ConnectionStates.All))).ToList();
            var denied = new HashSet<PsnTarget>();
            string portText = port.ToString(CultureInfo.InvariantCulture);
            foreach (AclLine line in list.Lines.Where(l => l.Kind == AclLineKind.Ace))
            {
                if (line.IsPermit == true)
                {
                    firstPermit ??= line;
                    continue;
                }

                if (!line.Cubes.Any(c => c.Protocol.Contains(AclTables.Tcp) && c.DestinationPort.Contains(port)))
                {
                    continue;
                }

                bool namesPort = line.Cubes.Any(c => c.Protocol.Lo == AclTables.Tcp && c.Protocol.Hi == AclTables.Tcp && c.DestinationPort.Contains(port) && c.DestinationPort.Hi - c.DestinationPort.Lo < 65535);
                List<PsnTarget> hit = psnCubes.Where(pc => line.Cubes.Any(c => c.Intersects(pc.Cube))).Select(pc => pc.Psn).ToList();

                // A general deny (deny ip 172.16.0.0 ... any) denies the PSN only for some sources, by the way: it is
                // not an explicit deny for the PSN unless it covers all of its sync traffic (deny ip any any).
                denied.UnionWith(psnCubes.Where(pc => hit.Contains(pc.Psn) &&
                    (!line.DestinationIsAny || namesPort || (line.IsExact && line.Cubes.Any(c => c.Contains(pc.Cube))))).Select(pc => pc.Psn));

                if (line.DestinationIsAny)
                {
                    hit.Clear();
                }
                if (!namesPort && hit.Count == 0)
                {
                    continue;
                }

                if (firstPermit != null)
                {
                    findings.Add(line.LineNumber, "ACL003", () => Finding("ACL003", "Warning", string.Format(CultureInfo.InvariantCulture,
                        "line {0} denies the sync port {1} but comes after permit line {2}; Cisco recommends the sync-port denies at the top of the list: move it up.",
                        Number(line), portText, firstPermit.LineNumber)));
                }

                if (psns.Count > 0 && hit.Count == 0 && !line.DestinationIsAny)
                {
                    findings.Add(line.LineNumber, "ACL005", () => Finding("ACL005", FindingSeverities.Information, string.Format(CultureInfo.InvariantCulture,
                        "line {0} '{1}' denies port {2} to addresses that include none of the PSNs given; add the missing PSN to the PSN list, or remove the stale line.",
                        Number(line), line.Text, portText)));
                }

                if (!line.SourceIsAny && line.SourceText.Length > 0)
                {
                    findings.Add(line.LineNumber, "ACL006", () => Finding("ACL006", "Warning", string.Format(CultureInfo.InvariantCulture,
                        "line {0} denies the sync port only from source '{1}'; the switch rewrites 'any' to the endpoint's address, so write 'any' as the source to cover every endpoint.",
                        Number(line), line.SourceText)));
                }
            }

            foreach (PsnTarget psn in psns.Where(p => !denied.Contains(p)))
            {
                string ace = "'" + DaclAdvice.DenyAce(psn.Address.ToString(), port) + "'";
                findings.AddUncapped(int.MaxValue, "ACL004", Finding("ACL004", FindingSeverities.Warning, string.Format(CultureInfo.InvariantCulture,
                    "no line explicitly denies TCP to PSN {0} port {1}; {2}.", psn.DisplayName, portText,
                    list.IsStandard ? "a standard list matches the source only and cannot name the PSN or the port: use an extended list with " + ace : "add " + ace + " at the top of the list")));
            }
        }

        private static string Number(AclLine line) => line.LineNumber.ToString(CultureInfo.InvariantCulture);

        private static string Finding(string id, string severity, string text) => id + " " + severity + ": " + text;

        /// <summary>
        /// Findings in line order. Line findings are capped: a list of 100,000 identical lines would otherwise hold
        /// 100,000 findings, and the first ones already say what to fix; the rest are counted in one ACL016.
        /// </summary>
        private sealed class FindingSink
        {
            private readonly List<(int Line, string Id, string Text)> findings = new List<(int, string, string)>();
            private int lineFindings;
            private int omitted;

            public void Add(int lineNumber, string id, Func<string> text)
            {
                if (lineFindings < MaxLineFindings)
                {
                    lineFindings++;
                    findings.Add((lineNumber, id, text()));
                }
                else
                {
                    omitted++;
                }
            }

            /// <summary>A finding said once per list or per PSN, never capped (int.MaxValue as the line puts it after the lines).</summary>
            public void AddUncapped(int lineNumber, string id, string text) => findings.Add((lineNumber, id, text));

            public IReadOnlyList<string> Sorted()
            {
                if (omitted > 0)
                {
                    AddUncapped(int.MaxValue, "ACL016", Finding("ACL016", FindingSeverities.Information, string.Format(CultureInfo.InvariantCulture,
                        "{0:N0} more line findings were not listed (the first {1:N0} are); fix those and check again.", omitted, MaxLineFindings)));
                }

                return FindingSeverities.WorstFirst(findings.OrderBy(f => f.Line).ThenBy(f => f.Id, StringComparer.Ordinal).Select(f => f.Text));
            }
        }
    }
}
