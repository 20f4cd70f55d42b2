using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PostureSync.Core.Acl
{
    /// <summary>The lists picked from a document, and the requested names that matched none.</summary>
    internal sealed class AclSelection
    {
        internal AclSelection(IReadOnlyList<AclList> lists, IReadOnlyList<string> unmatchedNames)
        {
            Lists = lists;
            UnmatchedNames = unmatchedNames;
        }

        public IReadOnlyList<AclList> Lists { get; }

        public IReadOnlyList<string> UnmatchedNames { get; }
    }

    /// <summary>
    /// Reads ACL text in any of the supported layouts into lists of lines. Never throws on bad input: every problem
    /// is an <see cref="AclSyntaxError"/> in the document.
    /// </summary>
    internal static class AclParser
    {
        /// <summary>Errors kept per document; the rest are only counted.</summary>
        public const int MaxReportedErrors = 1000;

        /// <summary>The list name given to the IPv4 ACEs of dACL text (ISE shows no name in the content).</summary>
        public const string DaclIpv4Name = "dACL";

        /// <summary>The list name given to the IPv6 ACEs of dACL text.</summary>
        public const string DaclIpv6Name = "dACL-IPv6";

        /// <summary>Switch-side name prefix of a downloaded dACL.</summary>
        public const string DownloadedPrefix = "xACSACLx-";

        /// <summary>
        /// Longer lines are a syntax error and are not tokenized: an ACE is a few dozen characters, and a 10 MB line
        /// would otherwise cost hundreds of MB of tokens.
        /// </summary>
        public const int MaxLineLength = 4096;

        /// <summary>
        /// The most text one document may hold (2,000,000 characters: about 40,000 ACEs of 45 characters, 130,000 of
        /// the shortest). Every ACE is kept in memory with its header space, about 300 bytes beside its text, and a
        /// check of the largest document must end within about 2 s in a fresh PowerShell (parse, lint, the bounded
        /// shadowing analysis and every PSN's walk; 5 MB took up to 1.8 s there). A switch holds a few thousand ACEs
        /// in hardware, so a real dACL or a whole switch's show access-lists output stays far below it.
        /// </summary>
        public const int MaxChars = 2_000_000;

        /// <summary>Lists read from one document; show output of a real switch has a few hundred at most.</summary>
        public const int MaxLists = 10000;

        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        /// <summary>
        /// An av-pair line, bare or as ISE/FreeRADIUS print it (<c>cisco-av-pair = ...</c>, <c>Cisco:cisco-av-pair=...</c>).
        /// Blank runs are atomic and the value is greedy (its closing quote is trimmed in code) so a long line costs
        /// linear time, not quadratic backtracking.
        /// </summary>
        private static readonly Regex AvPairLine = new Regex(
            @"^(?>\s*)(?:(?:cisco:)?""?cisco-av-?pair""?(?>\s*)(?:\+?=|:)?(?>\s*))?""?(?<family>ipv6|ip):inacl#(?<n>[0-9]+)(?>\s*)=(?<value>.*)$", Options);

        private static readonly Regex AcsNameLine = new Regex(@"ACS:CiscoSecure-Defined-ACL\s*=\s*""?#ACSACL#-(?<name>[^\s""]+)", Options);

        /// <summary>
        /// A list header of show output; the name may be followed by "(per-user)" (IOS 15 downloaded dACLs; IOS-XE
        /// prints none) or other notes, which are ignored.
        /// </summary>
        private static readonly Regex Header = new Regex(
            @"^\s*(?<kind>Standard IP|Extended IP|IPv6|FQDN IP|Reflexive IP|Role-based IP|Extended MAC|MAC|IP) access list (?<name>\S+)", Options);

        /// <summary>A header of a kind not listed above (a newer IOS may print others): its section is skipped as a whole.</summary>
        private static readonly Regex OtherHeader = new Regex(@"^\s*(?<kind>[A-Za-z0-9][A-Za-z0-9 -]{0,40}?) access list (?<name>\S+)", Options);

        private static readonly Regex PromptOrCommand = new Regex(@"^\s*(?:\S+[#>]\s*.*|(?:show|sh)\s+.*)$", Options);

        /// <summary>Reads <paramref name="text"/>; <paramref name="source"/> is the file path or "-Content", kept on each list.</summary>
        public static AclDocument Parse(string? text, AclInputFormat format, string source)
        {
            var errors = new ErrorSink();
            string content = text ?? string.Empty;
            if (LooksBinary(content))
            {
                errors.Add(new AclSyntaxError(1, 1, "binary data", "ACL text (one ACE per line, av-pairs, or show access-lists output)", "The input is not text: check the file."));
                return errors.Document(source, format == AclInputFormat.Auto ? AclInputFormat.Dacl : format, Array.Empty<AclList>());
            }

            if (content.Length > MaxChars)
            {
                errors.Add(new AclSyntaxError(1, 1, "a text of " + content.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters",
                    "ACL text of at most " + MaxChars.ToString("N0", CultureInfo.InvariantCulture) + " characters (about 40,000 ACEs; each is held in memory while it is checked, and a check must end within seconds)",
                    "Pass only the dACL or the access lists to check (show ip access-lists NAME)."));
                return errors.Document(source, format == AclInputFormat.Auto ? AclInputFormat.Dacl : format, Array.Empty<AclList>());
            }

            string[] lines = SplitLines(content);

            if (lines.All(l => l.Trim().Length == 0))
            {
                errors.Add(new AclSyntaxError(1, 1, "end of input", "at least one access-list entry", "The input is empty."));
                return errors.Document(source, format == AclInputFormat.Auto ? AclInputFormat.Dacl : format, Array.Empty<AclList>());
            }

            AclInputFormat resolved = format == AclInputFormat.Auto ? Detect(lines) : format;
            IReadOnlyList<AclList> lists = resolved switch
            {
                AclInputFormat.AvPair => ParseAvPairs(lines, source, errors),
                AclInputFormat.ShowAccessList => ParseShow(lines, source, errors),
                _ => ParseDacl(lines, source, errors),
            };
            return errors.Document(source, resolved, lists);
        }

        /// <summary>The layout of the text: av-pairs if any line is one, show output if any list header appears, else dACL text.</summary>
        public static AclInputFormat Detect(string text) => Detect(text.Split('\n'));

        /// <summary>
        /// Picks lists by name (wildcards <c>*</c> and <c>?</c>, case-insensitive). With no names: every
        /// <c>xACSACLx-*</c> list, or every list when none is a downloaded dACL.
        /// </summary>
        public static AclSelection Select(AclDocument document, IReadOnlyList<string>? names)
        {
            if (names is null || names.Count == 0)
            {
                List<AclList> downloaded = document.Lists.Where(l => l.Name.StartsWith(DownloadedPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
                return new AclSelection(downloaded.Count > 0 ? downloaded : document.Lists, Array.Empty<string>());
            }

            var chosen = new List<AclList>();
            var unmatched = new List<string>();
            foreach (string name in names)
            {
                var pattern = new Regex("^" + Regex.Escape(name).Replace("\\*", ".*").Replace("\\?", ".") + "$", Options);
                List<AclList> hits = document.Lists.Where(l => pattern.IsMatch(l.Name)).ToList();
                if (hits.Count == 0)
                {
                    unmatched.Add(name);
                }

                chosen.AddRange(hits.Where(h => !chosen.Contains(h)));
            }

            return new AclSelection(document.Lists.Where(chosen.Contains).ToList(), unmatched);
        }

        private static AclInputFormat Detect(IReadOnlyList<string> lines)
        {
            bool show = false;
            foreach (string line in lines)
            {
                if (line.Length > MaxLineLength)
                {
                    continue;
                }

                if (AvPairLine.IsMatch(line))
                {
                    return AclInputFormat.AvPair;
                }

                show |= Header.IsMatch(line);
            }

            return show ? AclInputFormat.ShowAccessList : AclInputFormat.Dacl;
        }

        /// <summary>NUL bytes or many control characters in the first 64 KiB: not something an admin typed.</summary>
        private static bool LooksBinary(string text)
        {
            int length = Math.Min(text.Length, 65536);
            int control = 0;
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                if (c == '\0')
                {
                    return true;
                }

                if ((c < ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f') || c == '\ufffd')
                {
                    control++;
                }
            }

            return length > 0 && control * 20 > length;
        }

        private static IReadOnlyList<AclList> ParseDacl(string[] lines, string source, ErrorSink errors)
        {
            var parsed = new List<(AclLine Line, AceParser.FamilyEvidence Evidence, string Text)>(lines.Length);
            bool anyV4 = false, anyV6 = false;
            for (int i = 0; i < lines.Length; i++)
            {
                AclLine? line = AceParser.Parse(lines[i], i + 1, 0, null, false, out AceParser.FamilyEvidence evidence);
                if (line is null)
                {
                    continue;
                }

                anyV4 |= evidence == AceParser.FamilyEvidence.IPv4;
                anyV6 |= evidence == AceParser.FamilyEvidence.IPv6;
                parsed.Add((line, evidence, lines[i]));
                errors.Add(line.Error);
            }

            // An ISE "Agnostic" dACL mixes families; a line with no address of either family applies to both.
            var v4 = new List<AclLine>(anyV6 ? 0 : parsed.Count);
            var v6 = new List<AclLine>();
            foreach ((AclLine line, AceParser.FamilyEvidence evidence, string text) in parsed)
            {
                if (evidence == AceParser.FamilyEvidence.IPv6)
                {
                    v6.Add(line);
                }
                else if (evidence == AceParser.FamilyEvidence.IPv4 || !anyV6)
                {
                    v4.Add(line);
                }
                else
                {
                    if (anyV4)
                    {
                        v4.Add(line);
                    }

                    v6.Add(AceParser.Parse(text, line.LineNumber, 0, AclFamily.IPv6, false, out _)!);
                }
            }

            var lists = new List<AclList>();
            if (v4.Count > 0 || v6.Count == 0)
            {
                lists.Add(new AclList(DaclIpv4Name, AclFamily.IPv4, false, source, AclInputFormat.Dacl, v4));
            }

            if (v6.Count > 0)
            {
                lists.Add(new AclList(DaclIpv6Name, AclFamily.IPv6, false, source, AclInputFormat.Dacl, v6));
            }

            return lists;
        }

        private static IReadOnlyList<AclList> ParseAvPairs(string[] lines, string source, ErrorSink errors)
        {
            var pairs = new Dictionary<AclFamily, SortedDictionary<int, AclLine>>();
            string? ipv4Name = null, ipv6Name = null;
            for (int i = 0; i < lines.Length; i++)
            {
                string raw = lines[i];
                string trimmed = raw.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }

                if (raw.Length > MaxLineLength)
                {
                    errors.Add(AceParser.TooLong(i + 1, raw.Length));
                    continue;
                }

                Match acs = AcsNameLine.Match(raw);
                if (acs.Success)
                {
                    string name = DownloadedPrefix + acs.Groups["name"].Value;
                    if (name.IndexOf("-IPV6-", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        ipv6Name = name;
                    }
                    else
                    {
                        ipv4Name = name;
                    }

                    continue;
                }

                Match pair = AvPairLine.Match(raw);
                if (!pair.Success)
                {
                    if (trimmed.IndexOf('=') < 0)
                    {
                        errors.Add(new AclSyntaxError(i + 1, raw.Length - raw.TrimStart().Length + 1, FirstWord(trimmed),
                            "a RADIUS av-pair such as ip:inacl#1=" + DaclAdvice.DenyAce("10.1.1.1", PostureSyncRule.SyncPort)));
                    }

                    // Other av-pairs (url-redirect, vlan, ...) are legal in the same reply and say nothing about the ACL.
                    continue;
                }

                AclFamily family = pair.Groups["family"].Value.Equals("ipv6", StringComparison.OrdinalIgnoreCase) ? AclFamily.IPv6 : AclFamily.IPv4;
                Group number = pair.Groups["n"];
                if (!AclTables.TryNumber(number.Value, int.MaxValue, out int n))
                {
                    errors.Add(new AclSyntaxError(i + 1, number.Index + 1, AclTokenizer.Printable(number.Value), "an entry number N from 0 to 2147483647 in inacl#N"));
                    continue;
                }

                if (!pairs.TryGetValue(family, out SortedDictionary<int, AclLine>? entries))
                {
                    pairs[family] = entries = new SortedDictionary<int, AclLine>();
                }

                Group value = pair.Groups["value"];
                string ace = value.Value.TrimEnd();
                if (ace.EndsWith("\"", StringComparison.Ordinal))
                {
                    ace = ace.Substring(0, ace.Length - 1);
                }

                AclLine? line = AceParser.Parse(ace, i + 1, value.Index, family, false, out _);
                if (entries.TryGetValue(n, out AclLine? earlier))
                {
                    errors.Add(new AclSyntaxError(i + 1, number.Index + 1, "#" + number.Value,
                        "an entry number not used before (line " + earlier.LineNumber.ToString(CultureInfo.InvariantCulture) + " already has inacl#" + number.Value + ")",
                        "Each ip:inacl#N must have its own N: renumber the entries."));
                    continue;
                }

                if (line is null)
                {
                    errors.Add(new AclSyntaxError(i + 1, value.Index + 1, AclTokenizer.EndOfLine, "an ACE after '='"));
                    continue;
                }

                line.Sequence = n;
                errors.Add(line.Error);
                entries[n] = line;
            }

            var lists = new List<AclList>();
            foreach (AclFamily family in new[] { AclFamily.IPv4, AclFamily.IPv6 })
            {
                if (pairs.TryGetValue(family, out SortedDictionary<int, AclLine>? entries))
                {
                    string name = family == AclFamily.IPv4 ? ipv4Name ?? "ip:inacl" : ipv6Name ?? "ipv6:inacl";
                    lists.Add(new AclList(name, family, false, source, AclInputFormat.AvPair, entries.Values.ToList()));
                }
            }

            return lists;
        }

        private static IReadOnlyList<AclList> ParseShow(string[] lines, string source, ErrorSink errors)
        {
            var lists = new List<AclList>();
            int listsSeen = 0;
            string? name = null;
            AclFamily family = AclFamily.IPv4;
            bool standard = false;
            bool skipping = false;
            var current = new List<AclLine>();
            void Close()
            {
                if (name != null && !skipping)
                {
                    lists.Add(new AclList(name, family, standard, source, AclInputFormat.ShowAccessList, current));
                }

                current = new List<AclLine>();
            }

            for (int i = 0; i < lines.Length; i++)
            {
                string raw = lines[i];
                if (raw.Trim().Length == 0)
                {
                    continue;
                }

                Match header = raw.Length > MaxLineLength ? Match.Empty : Header.Match(raw);
                if (header.Success)
                {
                    Close();
                    if (++listsSeen > MaxLists)
                    {
                        errors.Add(new AclSyntaxError(i + 1, 1, "access list number " + listsSeen.ToString("N0", CultureInfo.InvariantCulture),
                            "at most " + MaxLists.ToString("N0", CultureInfo.InvariantCulture) + " access lists in one input; the rest were not read",
                            "Pass only the lists to check (show ip access-lists NAME), or split the output."));
                        name = null;
                        break;
                    }

                    string kind = header.Groups["kind"].Value.ToUpperInvariant();
                    name = header.Groups["name"].Value;
                    family = kind == "IPV6" ? AclFamily.IPv6 : AclFamily.IPv4;
                    standard = kind == "STANDARD IP";

                    // MAC, role-based and reflexive lists do not filter the endpoint's IP traffic to a PSN: one notice
                    // for the section, none for its lines.
                    skipping = !(kind == "STANDARD IP" || kind == "EXTENDED IP" || kind == "IPV6" || kind == "IP" || kind == "FQDN IP");
                    if (skipping)
                    {
                        errors.Notice(string.Format(CultureInfo.InvariantCulture, "Line {0}: skipped the {1} access list {2}: it does not filter the endpoint's IP traffic to a PSN.",
                            i + 1, header.Groups["kind"].Value.Trim(), AclTokenizer.Printable(name)));
                    }

                    continue;
                }

                Match other = raw.Length > MaxLineLength || raw.StartsWith(" ", StringComparison.Ordinal) ? Match.Empty : OtherHeader.Match(raw);
                if (other.Success)
                {
                    // One error for a section this reader does not know, not one for each of its lines.
                    Close();
                    errors.Add(new AclSyntaxError(i + 1, raw.Length - raw.TrimStart().Length + 1, AclTokenizer.Printable(other.Groups["kind"].Value.Trim()) + " access list",
                        "an IP access list header (Standard IP, Extended IP, IPv6, FQDN IP); this section was skipped",
                        "Pass 'show ip access-lists' or 'show ipv6 access-list' output."));
                    name = "(skipped)";
                    skipping = true;
                    continue;
                }

                if (skipping || (name is null && raw.TrimStart().StartsWith("!", StringComparison.Ordinal)))
                {
                    continue;
                }

                if (name is null || (raw.Length <= MaxLineLength && PromptOrCommand.IsMatch(raw) && !raw.StartsWith(" ", StringComparison.Ordinal)))
                {
                    if (!PromptOrCommand.IsMatch(raw))
                    {
                        errors.Add(new AclSyntaxError(i + 1, raw.Length - raw.TrimStart().Length + 1, FirstWord(raw.Trim()),
                            "an access-list header such as 'Extended IP access list NAME' before the first entry"));
                    }

                    continue;
                }

                AclLine? line = AceParser.Parse(raw, i + 1, 0, family, standard, out _);
                if (line != null)
                {
                    errors.Add(line.Error);
                    current.Add(line);
                }
            }

            Close();
            return lists;
        }

        /// <summary>CRLF (Windows), LF, and a bare CR (old Mac editors, some terminal captures) all end a line; one copy of each line, no more.</summary>
        private static string[] SplitLines(string text)
        {
            // Counted first so the array is allocated once, at its size: a growing list would briefly hold two copies.
            int count = 1;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
                {
                    count++;
                }
            }

            var lines = new string[count];
            int start = 0, next = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\n' || c == '\r')
                {
                    lines[next++] = text.Substring(start, i - start);
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    start = i + 1;
                }
            }

            lines[next] = text.Substring(start);
            return lines;
        }

        private static string FirstWord(string text)
        {
            // Only the start is shown, so only the start is split (the line may be megabytes long).
            IReadOnlyList<AclToken> tokens = AclTokenizer.Tokenize(text.Length > 200 ? text.Substring(0, 200) : text);
            return tokens.Count == 0 ? AclTokenizer.EndOfLine : AclTokenizer.Printable(tokens[0].Text);
        }

        /// <summary>Collects errors up to the cap and counts the rest.</summary>
        private sealed class ErrorSink
        {
            private readonly List<AclSyntaxError> errors = new List<AclSyntaxError>();
            private int omitted;

            public void Add(AclSyntaxError? error)
            {
                if (error is null)
                {
                    return;
                }

                if (errors.Count < MaxReportedErrors)
                {
                    errors.Add(error);
                }
                else
                {
                    omitted++;
                }
            }

            private readonly List<string> notices = new List<string>();

            /// <summary>Something skipped on purpose, said once (kept up to the same cap as errors).</summary>
            public void Notice(string text)
            {
                if (notices.Count < MaxReportedErrors)
                {
                    notices.Add(text);
                }
            }

            public AclDocument Document(string source, AclInputFormat format, IReadOnlyList<AclList> lists) =>
                new AclDocument(source, format, lists, errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList(), omitted) { Notices = notices };
        }
    }
}
