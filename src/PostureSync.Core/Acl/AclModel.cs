using System;
using System.Collections.Generic;
using System.Globalization;

namespace PostureSync.Core.Acl
{
    /// <summary>How the ACL text is laid out.</summary>
    public enum AclInputFormat
    {
        /// <summary>Recognise the format from the text.</summary>
        Auto,

        /// <summary>ISE dACL content: one ACE per line, remarks, no sequence numbers.</summary>
        Dacl,

        /// <summary>RADIUS <c>ip:inacl#N=</c> / <c>ipv6:inacl#N=</c> av-pairs, ordered by N.</summary>
        AvPair,

        /// <summary><c>show access-lists</c> / <c>show ip access-lists</c> / <c>show ipv6 access-list</c> output.</summary>
        ShowAccessList,
    }

    internal enum AclFamily
    {
        IPv4,
        IPv6,
    }

    internal enum AclLineKind
    {
        Ace,
        Remark,

        /// <summary>The line does not parse; <see cref="AclLine.Error"/> says why.</summary>
        Invalid,
    }

    /// <summary>A syntax error, as a value: where, what was found, what was expected.</summary>
    internal sealed class AclSyntaxError
    {
        public AclSyntaxError(int line, int column, string token, string expected, string? hint = null)
        {
            Line = line;
            Column = column;
            Token = token;
            Expected = expected;
            Hint = hint;
        }

        /// <summary>1-based line number in the input.</summary>
        public int Line { get; }

        /// <summary>1-based column of the offending token.</summary>
        public int Column { get; }

        /// <summary>The token found, or <c>end of line</c>.</summary>
        public string Token { get; }

        /// <summary>What the grammar expected there, e.g. "a port after 'eq': a number 0-65535 or a tcp name such as www".</summary>
        public string Expected { get; }

        /// <summary>What to write instead, when known (e.g. "use 443").</summary>
        public string? Hint { get; }

        public string Message => string.Format(CultureInfo.InvariantCulture, "Line {0}, column {1}: expected {2}; found {3}.{4}",
            Line, Column, Expected, Token == AclTokenizer.EndOfLine ? Token : "'" + Token + "'", Hint is null ? string.Empty : " " + Hint);

        public override string ToString() => Message;
    }

    /// <summary>Something legal but worth a warning, noticed while parsing one line; the linter reports it.</summary>
    internal sealed class AclNote
    {
        public AclNote(string id, string severity, string text)
        {
            Id = id;
            Severity = severity;
            Text = text;
        }

        public string Id { get; }

        public string Severity { get; }

        /// <summary>What and what to do, without the line number (the linter adds it).</summary>
        public string Text { get; }
    }

    /// <summary>One input line of a list: an ACE, a remark, or a line that does not parse.</summary>
    internal sealed class AclLine
    {
        private static readonly IReadOnlyList<HeaderCube> NoCubes = Array.Empty<HeaderCube>();

        internal AclLine(int lineNumber, string text, AclLineKind kind)
        {
            LineNumber = lineNumber;
            Text = text;
            Kind = kind;
        }

        /// <summary>1-based line number in the input.</summary>
        public int LineNumber { get; }

        /// <summary>The ACE as written, without a sequence number or a match counter.</summary>
        public string Text { get; internal set; }

        public AclLineKind Kind { get; internal set; }

        /// <summary>The sequence number printed by <c>show</c> (before the ACE, or <c>sequence N</c> after it).</summary>
        public int? Sequence { get; internal set; }

        /// <summary>The <c>(N matches)</c> counter, when shown.</summary>
        public long? Matches { get; internal set; }

        /// <summary>True for permit, false for deny; null for remarks and lines whose action did not parse.</summary>
        public bool? IsPermit { get; internal set; }

        public AclFamily Family { get; internal set; }

        public bool IsStandard { get; internal set; }

        public bool SourceIsAny { get; internal set; }

        /// <summary>The source address as written (<c>any</c>, <c>host 192.0.2.1</c>, ...).</summary>
        public string SourceText { get; internal set; } = string.Empty;

        public bool DestinationIsAny { get; internal set; }

        /// <summary>The line matches only part of its header space (dscp, precedence, tos, ttl, fragments, option, one TCP flag).</summary>
        public bool IsPartial { get; internal set; }

        /// <summary>The narrowing options, as written, for counter-examples ("dscp ef").</summary>
        public string? PartialOptions { get; internal set; }

        /// <summary>Why the line cannot be evaluated (object-group, time-range, several TCP flags); null when it can.</summary>
        public string? Unmodelled { get; internal set; }

        public AclSyntaxError? Error { get; internal set; }

        public IReadOnlyList<AclNote> Notes => notes;

        /// <summary>
        /// The header space the line names, as disjoint cubes (multi-port <c>eq</c> and <c>neq</c> give several).
        /// For a partial or unmodelled line it is a superset of what the line really matches; for an invalid line
        /// it covers whatever the parsed prefix allows.
        /// </summary>
        internal IReadOnlyList<HeaderCube> Cubes { get; set; } = NoCubes;

        /// <summary>
        /// True when the only narrowing option is the <c>syn</c> flag: the line matches every packet that opens a
        /// connection within its cubes (the opening SYN), though not the rest of the TCP traffic.
        /// </summary>
        internal bool MatchesEveryOpening { get; set; }

        /// <summary>True when <see cref="Cubes"/> is exactly what the line matches.</summary>
        internal bool IsExact => Kind == AclLineKind.Ace && !IsPartial && Unmodelled is null;

        private readonly List<AclNote> notes = new List<AclNote>();

        internal void AddNote(string id, string severity, string text) => notes.Add(new AclNote(id, severity, text));

        public override string ToString() => LineNumber.ToString(CultureInfo.InvariantCulture) + ": " + Text;
    }

    /// <summary>One access list: its ACEs in evaluation order.</summary>
    internal sealed class AclList
    {
        internal AclList(string name, AclFamily family, bool isStandard, string source, AclInputFormat inputFormat, IReadOnlyList<AclLine> lines)
        {
            Name = name;
            Family = family;
            IsStandard = isStandard;
            Source = source;
            InputFormat = inputFormat;
            Lines = lines;
        }

        public string Name { get; }

        public AclFamily Family { get; }

        public bool IsStandard { get; }

        /// <summary>The file or "-Content" the list came from.</summary>
        public string Source { get; }

        /// <summary>The format the list was read as (never Auto).</summary>
        public AclInputFormat InputFormat { get; }

        /// <summary>Lines in evaluation order (by N for av-pairs, input order otherwise); remarks included.</summary>
        public IReadOnlyList<AclLine> Lines { get; }

        public override string ToString() => Name;
    }

    /// <summary>Everything read from one input: the lists and every syntax error.</summary>
    internal sealed class AclDocument
    {
        internal AclDocument(string source, AclInputFormat format, IReadOnlyList<AclList> lists, IReadOnlyList<AclSyntaxError> errors, int errorsOmitted)
        {
            Source = source;
            Format = format;
            Lists = lists;
            Errors = errors;
            ErrorsOmitted = errorsOmitted;
        }

        public string Source { get; }

        /// <summary>The format used (Auto resolved).</summary>
        public AclInputFormat Format { get; }

        public IReadOnlyList<AclList> Lists { get; }

        /// <summary>Syntax errors in input order, at most <see cref="AclParser.MaxReportedErrors"/>.</summary>
        public IReadOnlyList<AclSyntaxError> Errors { get; }

        /// <summary>How many further errors were found but not kept (a binary file would otherwise yield one per line).</summary>
        public int ErrorsOmitted { get; }
    }
}
