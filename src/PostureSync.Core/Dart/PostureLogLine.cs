using System;

namespace PostureSync.Core.Dart
{
    /// <summary>What a line of a posture log is.</summary>
    internal enum PostureLogLineKind
    {
        /// <summary>No known prefix: a continuation of the record before it, or junk before the first record.</summary>
        NotRecord,

        /// <summary>A record of the agent: the DART form, or a syslog form followed by "Function:".</summary>
        Record,

        /// <summary>A syslog line of some other process (or of the agent without "Function:"): skipped quietly.</summary>
        Foreign,

        /// <summary>syslog's "--- last message repeated N times ---": the record before it was logged N more times.</summary>
        Repeat,
    }

    /// <summary>
    /// Field positions of one record line of the agent's log, in either prefix form before the part that is the
    /// same everywhere (<c>Function: func Thread Id: 0xHEX File: file Line: n Level: lvl :: message</c>):
    /// <list type="bullet">
    /// <item>DART (AnyConnect_ISEPosture.txt, exported from the Windows event log):
    /// <c>YYYY/MM/DD HH:MM:SS [Severity] process Function: …</c>; everything after the severity may be missing (copies
    /// are often cut).</item>
    /// <item>syslog (macOS system.log, Linux /var/log/syslog|messages, the live sources): <c>Mon dd HH:MM:SS host
    /// process[pid]: Function: …</c> with no year and a space-padded day, or the same with an ISO 8601 time
    /// (<c>2024-02-14T00:12:18.123+01:00</c>, rsyslog's high-precision form). The process may hold spaces
    /// (<c>Cisco Secure Client[864]</c>). There is no severity: it is taken from the agent's level word.</item>
    /// </list>
    /// The line is a range of a reused char buffer; positions are absolute indexes into it, and strings are only made
    /// for the records the caller keeps, so a skipped line costs no allocation at all.
    /// </summary>
    internal sealed class PostureLogLine
    {
        private const string FunctionMarker = "Function:";
        private const string RepeatMarker = "--- last message repeated ";
        private const string RsyslogRepeatMarker = "message repeated ";
        private static readonly string[] MonthNames = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
        private const string ThreadLabel = "Thread Id";
        private const string FileLabel = "File";
        private const string LineLabel = "Line";
        private const string LevelLabel = "Level";

        // Longer "severities" mean the bracket belongs to something else.
        private const int MaxSeverityLength = 32;

        private bool tailParsed;
        private int dateStart;
        private int timeStart;

        // 0 for the DART form and ISO times (the year is in the line); 1-12 for a year-less syslog time.
        private int syslogMonth;

        private char[] line = Array.Empty<char>();
        private int lineEnd;

        public char[] Buffer => line;

        public int LineStart { get; private set; }

        public int LineLength => lineEnd - LineStart;

        public int SeverityStart { get; private set; }

        public int SeverityLength { get; private set; }

        public int ProcessStart { get; private set; }

        public int ProcessLength { get; private set; }

        /// <summary>-1 when the record has no "Function: ".</summary>
        public int FunctionStart { get; private set; }

        public int FunctionLength { get; private set; }

        /// <summary>Where the method name starts: after the last "::" of the function, or the function start.</summary>
        public int MethodStart { get; private set; }

        public int MethodLength => FunctionStart < 0 ? 0 : FunctionStart + FunctionLength - MethodStart;

        public bool HasClass => FunctionStart >= 0 && MethodStart > FunctionStart;

        public int ThreadStart { get; private set; }

        public int ThreadLength { get; private set; }

        public int FileStart { get; private set; }

        public int FileLength { get; private set; }

        public int SourceLineStart { get; private set; }

        public int SourceLineLength { get; private set; }

        public int LevelStart { get; private set; }

        public int LevelLength { get; private set; }

        /// <summary>-1 when the line was cut before " :: ".</summary>
        public int MessageStart { get; private set; }

        /// <summary>
        /// The time a year-less syslog line is read against (the file's last write time, or now for a live log): the
        /// line's year is the one that puts it at or before this time (a day of slack for clocks and zones), so a log
        /// that runs from December into January gets two years.
        /// </summary>
        public DateTime ReferenceTime { get; set; } = DateTime.Now;

        /// <summary>For a <see cref="PostureLogLineKind.Repeat"/> line: how many more times the record was logged.</summary>
        public int RepeatCount { get; private set; }

        /// <summary>A whole string as the line (tests and callers outside the streaming path).</summary>
        public bool TryParse(string text) => TryParse(text.ToCharArray(), 0, text.Length);

        /// <summary>A whole string as the line: which kind it is, the record's fields parsed when it is one.</summary>
        public PostureLogLineKind Parse(string text) => Parse(text.ToCharArray(), 0, text.Length);

        /// <summary>True when the line opens a record of the agent, in either prefix form.</summary>
        public bool TryParse(char[] buffer, int start, int length) => Parse(buffer, start, length) == PostureLogLineKind.Record;

        /// <summary>Which kind the line is; a record's fields are parsed, the rest on demand (<see cref="ParseTail"/>).</summary>
        public PostureLogLineKind Parse(char[] buffer, int start, int length)
        {
            if (TryParseDart(buffer, start, length))
            {
                return PostureLogLineKind.Record;
            }

            return ParseSyslog(buffer, start, length);
        }

        /// <summary>
        /// True when the line starts with a valid timestamp and "[Severity]": it opens a record. Spacing is taken
        /// loosely, as copies of the log are often re-spaced: blanks (spaces, tabs) or a stray byte order mark before
        /// the timestamp, runs of blanks between the fields, blanks inside the brackets, a missing process, and
        /// "Function:" with or without a blank before the name.
        /// </summary>
        private bool TryParseDart(char[] buffer, int start, int length)
        {
            int end = start + length;
            int dateStart = start;
            while (dateStart < end && (IsBlank(buffer[dateStart]) || buffer[dateStart] == '\uFEFF'))
            {
                dateStart++;
            }

            // "YYYY/MM/DD HH:MM:SS[x]" at the least.
            if (end - dateStart < 22 || !HasDate(buffer, dateStart) || !IsBlank(buffer[dateStart + 10]))
            {
                return false;
            }

            int timeStart = SkipBlanks(buffer, dateStart + 11, end);
            if (end - timeStart < 11 || !HasTime(buffer, timeStart))
            {
                return false;
            }

            int open = SkipBlanks(buffer, timeStart + 8, end);
            if (open >= end || buffer[open] != '[')
            {
                return false;
            }

            int close = Array.IndexOf(buffer, ']', open + 1, Math.Min(MaxSeverityLength + 1, end - open - 1));
            int severityStart = SkipBlanks(buffer, open + 1, close < 0 ? open + 1 : close);
            int severityEnd = close;
            while (severityEnd > severityStart && IsBlank(buffer[severityEnd - 1]))
            {
                severityEnd--;
            }

            if (severityEnd <= severityStart)
            {
                return false;
            }

            Reset(buffer, start, end, dateStart, timeStart, 0);
            SeverityStart = severityStart;
            SeverityLength = severityEnd - severityStart;

            int processStart = SkipBlanks(buffer, close + 1, end);
            int processEnd = BlankAfter(processStart, end);
            int functionMarker;
            if (processEnd - processStart >= FunctionMarker.Length && Matches(processStart, FunctionMarker))
            {
                // No process: the function follows the severity.
                functionMarker = processStart;
                ProcessStart = -1;
                ProcessLength = 0;
            }
            else
            {
                ProcessStart = processStart;
                ProcessLength = processEnd - processStart;
                functionMarker = SkipBlanks(buffer, processEnd, end);
            }

            if (functionMarker + FunctionMarker.Length <= end && Matches(functionMarker, FunctionMarker))
            {
                ParseFunction(functionMarker);
            }
            else
            {
                // No function: the rest of the line after the process is the message.
                MessageStart = functionMarker;
                tailParsed = true;
            }

            return true;
        }

        /// <summary>
        /// A syslog line: <c>Mon dd HH:MM:SS</c> or an ISO 8601 time, then <c>host process[pid]:</c> and the agent's
        /// <c>Function: …</c> (a record), syslog's repeat notice, or anything else (a foreign line).
        /// </summary>
        private PostureLogLineKind ParseSyslog(char[] buffer, int start, int length)
        {
            int end = start + length;
            int at = start;
            while (at < end && (IsBlank(buffer[at]) || buffer[at] == '\uFEFF'))
            {
                at++;
            }

            int month = 0;
            int dateAt = at;
            int timeAt;
            int afterTime;
            if (end - at >= 15 && MonthAt(buffer, at) is int bsdMonth && bsdMonth > 0 && IsBlank(buffer[at + 3]))
            {
                // "Feb 14 00:12:18" or "Feb  4 00:12:18": a day of one or two digits after one or more blanks.
                int day = SkipBlanks(buffer, at + 4, end);
                int dayDigits = 0;
                while (day + dayDigits < end && dayDigits < 3 && buffer[day + dayDigits] >= '0' && buffer[day + dayDigits] <= '9')
                {
                    dayDigits++;
                }

                timeAt = day + dayDigits + 1;
                if (dayDigits < 1 || dayDigits > 2 || timeAt + 8 > end || !IsBlank(buffer[timeAt - 1]) || !HasTime(buffer, timeAt))
                {
                    return PostureLogLineKind.NotRecord;
                }

                int dayValue = Number(buffer, day, dayDigits);
                if (dayValue < 1 || dayValue > DateTime.DaysInMonth(2000, bsdMonth))
                {
                    return PostureLogLineKind.NotRecord;
                }

                month = bsdMonth;
                dateAt = day - (dayDigits == 1 ? 1 : 0);
                afterTime = timeAt + 8;
            }
            else if (end - at >= 19 && buffer[at + 4] == '-' && buffer[at + 7] == '-' && (buffer[at + 10] == 'T' || buffer[at + 10] == ' ')
                && HasIsoDate(buffer, at) && HasTime(buffer, at + 11))
            {
                timeAt = at + 11;
                afterTime = SkipIsoFractionAndZone(buffer, timeAt + 8, end);
            }
            else
            {
                return PostureLogLineKind.NotRecord;
            }

            if (afterTime < end && !IsBlank(buffer[afterTime]))
            {
                return PostureLogLineKind.NotRecord;
            }

            int rest = SkipBlanks(buffer, afterTime, end);
            if (TryRepeat(buffer, rest, end, RepeatMarker, out int repeats))
            {
                RepeatCount = repeats;
                return PostureLogLineKind.Repeat;
            }

            // rsyslog's form of the notice comes from the process itself: "host proc[pid]: message repeated N times: [ … ]".
            int tagColon = IndexOfIn(buffer, ':', rest, end);
            if (tagColon > 0 && TryRepeat(buffer, SkipBlanks(buffer, tagColon + 1, end), end, RsyslogRepeatMarker, out repeats))
            {
                RepeatCount = repeats;
                return PostureLogLineKind.Repeat;
            }

            int marker = FindFunctionMarker(buffer, rest, end);
            if (marker < 0)
            {
                return PostureLogLineKind.Foreign;
            }

            // A syslog record has a "process:" tag before the function; without one the line is not in this form.
            int tagEnd = TagEnd(buffer, rest, marker);
            if (tagEnd < 0)
            {
                return PostureLogLineKind.NotRecord;
            }

            Reset(buffer, start, end, dateAt, timeAt, month);
            SeverityStart = -1;
            SeverityLength = 0;
            FindSyslogProcess(buffer, rest, tagEnd);
            ParseFunction(marker);
            return PostureLogLineKind.Record;
        }

        /// <summary>Where the "process[pid]:" tag's colon is, before the marker and an optional "(sender)"; -1 when there is none.</summary>
        private static int TagEnd(char[] buffer, int from, int marker)
        {
            int tagEnd = marker;
            while (tagEnd > from && IsBlank(buffer[tagEnd - 1]))
            {
                tagEnd--;
            }

            if (tagEnd > from && buffer[tagEnd - 1] == ')')
            {
                int open = Array.LastIndexOf(buffer, '(', tagEnd - 1, tagEnd - from);
                if (open > from)
                {
                    tagEnd = open;
                    while (tagEnd > from && IsBlank(buffer[tagEnd - 1]))
                    {
                        tagEnd--;
                    }
                }
            }

            return tagEnd > from && buffer[tagEnd - 1] == ':' ? tagEnd - 1 : -1;
        }

        /// <summary>
        /// The process in "host process[pid]:" (the host dropped, the pid too), up to the tag's colon; a name may hold
        /// spaces. A tag with nothing before it but one word has no host: the word is the process.
        /// </summary>
        private void FindSyslogProcess(char[] buffer, int from, int tagColon)
        {
            ProcessStart = -1;
            ProcessLength = 0;
            int nameEnd = tagColon;
            if (nameEnd > from && buffer[nameEnd - 1] == ']')
            {
                int open = Array.LastIndexOf(buffer, '[', nameEnd - 1, nameEnd - from);
                if (open >= from)
                {
                    nameEnd = open;
                }
            }

            // The first word is the host; with nothing after it, the line had no host and the word is the process.
            int hostEnd = BlankAfter(from, nameEnd);
            int nameStart = SkipBlanks(buffer, hostEnd, nameEnd);
            if (nameStart >= nameEnd)
            {
                nameStart = from;
            }

            if (nameEnd > nameStart)
            {
                ProcessStart = nameStart;
                ProcessLength = nameEnd - nameStart;
            }
        }

        private void Reset(char[] buffer, int start, int end, int dateStart, int timeStart, int syslogMonth)
        {
            line = buffer;
            LineStart = start;
            lineEnd = end;
            this.dateStart = dateStart;
            this.timeStart = timeStart;
            this.syslogMonth = syslogMonth;
            tailParsed = false;
            ThreadStart = FileStart = SourceLineStart = LevelStart = -1;
            ThreadLength = FileLength = SourceLineLength = LevelLength = 0;
            MessageStart = -1;
            FunctionStart = -1;
            FunctionLength = 0;
            MethodStart = -1;
        }

        /// <summary>The function after the marker; the method is the name after its last "::" (bare names are whole).</summary>
        private void ParseFunction(int functionMarker)
        {
            int functionStart = SkipBlanks(line, functionMarker + FunctionMarker.Length, lineEnd);
            int functionEnd = BlankAfter(functionStart, lineEnd);
            FunctionStart = functionStart;
            FunctionLength = functionEnd - functionStart;
            MethodStart = functionStart;
            for (int i = functionEnd - 1; i > functionStart; i--)
            {
                if (line[i] == ':' && line[i - 1] == ':')
                {
                    MethodStart = i + 1;
                    break;
                }
            }
        }

        /// <summary>"Function:" standing as a word at or after a position, or -1.</summary>
        private static int FindFunctionMarker(char[] buffer, int from, int end)
        {
            int at = from;
            while (at + FunctionMarker.Length <= end)
            {
                int f = IndexOfIn(buffer, 'F', at, end - FunctionMarker.Length + 1);
                if (f < 0)
                {
                    return -1;
                }

                if ((f == from || IsBlank(buffer[f - 1])) && TextAt(buffer, f, FunctionMarker))
                {
                    return f;
                }

                at = f + 1;
            }

            return -1;
        }

        /// <summary>A repeat notice at a position: the marker, a count, then "time" or "times".</summary>
        private static bool TryRepeat(char[] buffer, int at, int end, string marker, out int count)
        {
            count = 0;
            if (end - at < marker.Length + 1 || !TextAt(buffer, at, marker))
            {
                return false;
            }

            int digits = at + marker.Length;
            int digit = digits;
            long value = 0;
            while (digit < end && digit - digits < 9 && buffer[digit] >= '0' && buffer[digit] <= '9')
            {
                value = (value * 10) + (buffer[digit] - '0');
                digit++;
            }

            if (digit == digits || digit + 5 > end || buffer[digit] != ' ' || !TextAt(buffer, digit + 1, "time"))
            {
                return false;
            }

            count = (int)value;
            return true;
        }

        private static bool TextAt(char[] buffer, int at, string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (buffer[at + i] != value[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int IndexOfIn(char[] buffer, char value, int from, int end) =>
            from >= end ? -1 : Array.IndexOf(buffer, value, from, end - from);

        /// <summary>1-12 for an English month abbreviation at a position (as syslog writes it), else 0.</summary>
        private static int MonthAt(char[] s, int at)
        {
            for (int m = 0; m < MonthNames.Length; m++)
            {
                string name = MonthNames[m];
                if (s[at] == name[0] && s[at + 1] == name[1] && s[at + 2] == name[2])
                {
                    return m + 1;
                }
            }

            return 0;
        }

        /// <summary>"YYYY-MM-DD" at a position, naming a real date.</summary>
        private static bool HasIsoDate(char[] s, int at)
        {
            if (!Digits(s, at, 4) || !Digits(s, at + 5, 2) || !Digits(s, at + 8, 2))
            {
                return false;
            }

            int year = Number(s, at, 4);
            int month = Number(s, at + 5, 2);
            int day = Number(s, at + 8, 2);
            return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
        }

        /// <summary>Past an optional ".fraction" and zone ("Z", "+01:00", "-0800") after an ISO time.</summary>
        private static int SkipIsoFractionAndZone(char[] s, int at, int end)
        {
            if (at < end && (s[at] == '.' || s[at] == ','))
            {
                at++;
                while (at < end && s[at] >= '0' && s[at] <= '9')
                {
                    at++;
                }
            }

            if (at < end && s[at] == 'Z')
            {
                return at + 1;
            }

            if (at < end && (s[at] == '+' || s[at] == '-'))
            {
                at++;
                while (at < end && ((s[at] >= '0' && s[at] <= '9') || s[at] == ':'))
                {
                    at++;
                }
            }

            return at;
        }

        /// <summary>
        /// Finds thread, file, line, level and message; done only for records that may be kept. One pass over the
        /// colons after the function: the first "::" starts the message (with or without blanks around it, as the
        /// header fields never hold one); any other colon may end a field label.
        /// </summary>
        public void ParseTail()
        {
            if (tailParsed)
            {
                return;
            }

            tailParsed = true;
            int from = FunctionStart + FunctionLength;
            while (true)
            {
                int colon = IndexOf(':', from, lineEnd);
                if (colon < 0)
                {
                    return;
                }

                if (colon + 1 < lineEnd && line[colon + 1] == ':')
                {
                    int message = colon + 2;
                    MessageStart = message < lineEnd && IsBlank(line[message]) ? message + 1 : message;
                    return;
                }

                int valueStart = SkipBlanks(line, colon + 1, lineEnd);
                int valueEnd = valueStart;
                while (valueEnd < lineEnd && !IsBlank(line[valueEnd]) && line[valueEnd] != ':')
                {
                    valueEnd++;
                }

                from = colon + 1;
                if (ThreadStart < 0 && LabelEndsAt(colon, ThreadLabel))
                {
                    ThreadStart = valueStart;
                    ThreadLength = valueEnd - valueStart;
                }
                else if (FileStart < 0 && LabelEndsAt(colon, FileLabel))
                {
                    FileStart = valueStart;
                    FileLength = valueEnd - valueStart;
                }
                else if (SourceLineStart < 0 && LabelEndsAt(colon, LineLabel))
                {
                    SourceLineStart = valueStart;
                    SourceLineLength = valueEnd - valueStart;
                }
                else if (LevelStart < 0 && LabelEndsAt(colon, LevelLabel))
                {
                    LevelStart = valueStart;
                    LevelLength = valueEnd - valueStart;
                }
                else
                {
                    continue;
                }

                from = valueEnd;
            }
        }

        public bool SeverityIs(string value) => SeverityLength == value.Length && MatchesIgnoreCase(SeverityStart, value);

        public bool LevelIs(string value)
        {
            ParseTail();
            return LevelLength == value.Length && MatchesIgnoreCase(LevelStart, value);
        }

        public bool SourceFileIs(string value)
        {
            ParseTail();
            return FileLength == value.Length && MatchesIgnoreCase(FileStart, value);
        }

        public bool MethodIs(string value) => MethodLength == value.Length && Matches(MethodStart, value);

        public bool MethodStartsWith(string value) => MethodLength >= value.Length && Matches(MethodStart, value);

        /// <summary>The text at a position, or null for a field the line does not have.</summary>
        public string? Text(int start, int length) => start < 0 ? null : new string(line, start, length);

        /// <summary>True when the class part (the text before the last "::") ends with the given class name.</summary>
        public bool ClassIs(string value)
        {
            if (!HasClass)
            {
                return false;
            }

            int classEnd = MethodStart - 2;
            int classStart = classEnd - value.Length;
            return classStart >= FunctionStart
                && (classStart == FunctionStart || line[classStart - 1] == ':')
                && Matches(classStart, value);
        }

        /// <summary>The record's wall-clock time as logged; a year-less syslog time gets its year from <see cref="ReferenceTime"/>.</summary>
        public DateTime Timestamp()
        {
            int hour = Number(line, timeStart, 2);
            int minute = Number(line, timeStart + 3, 2);
            int second = Number(line, timeStart + 6, 2);
            if (syslogMonth == 0)
            {
                return new DateTime(Number(line, dateStart, 4), Number(line, dateStart + 5, 2), Number(line, dateStart + 8, 2), hour, minute, second, DateTimeKind.Unspecified);
            }

            int day = IsBlank(line[dateStart]) ? Number(line, dateStart + 1, 1) : Number(line, dateStart, 2);
            return InferYear(syslogMonth, day, hour, minute, second, ReferenceTime);
        }

        /// <summary>
        /// The latest year that puts a year-less time at or before the reference time (plus a day of slack for clock
        /// and zone differences): a "Dec 31" line read in January belongs to the year before. Feb 29 goes back to the
        /// last leap year.
        /// </summary>
        internal static DateTime InferYear(int month, int day, int hour, int minute, int second, DateTime reference)
        {
            DateTime latest = reference.AddDays(1);
            for (int year = Math.Min(reference.Year + 1, 9999); year > reference.Year - 8 && year >= 1; year--)
            {
                if (day > DateTime.DaysInMonth(year, month))
                {
                    continue;
                }

                var candidate = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
                if (candidate <= latest)
                {
                    return candidate;
                }
            }

            return new DateTime(reference.Year, month, Math.Min(day, DateTime.DaysInMonth(reference.Year, month)), hour, minute, second, DateTimeKind.Unspecified);
        }

        public int? SourceLineNumber()
        {
            ParseTail();
            if (SourceLineLength == 0 || SourceLineLength > 9)
            {
                return null;
            }

            int value = 0;
            for (int i = SourceLineStart; i < SourceLineStart + SourceLineLength; i++)
            {
                char c = line[i];
                if (c < '0' || c > '9')
                {
                    return null;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }

        /// <summary>Checks "YYYY/MM/DD" at a position and that it names a real date.</summary>
        internal static bool HasDate(char[] s, int at)
        {
            if (s[at + 4] != '/' || s[at + 7] != '/' || !Digits(s, at, 4) || !Digits(s, at + 5, 2) || !Digits(s, at + 8, 2))
            {
                return false;
            }

            int year = Number(s, at, 4);
            int month = Number(s, at + 5, 2);
            int day = Number(s, at + 8, 2);
            return year >= 1 && month >= 1 && month <= 12 && day >= 1 && (day <= 28 || day <= DateTime.DaysInMonth(year, month));
        }

        /// <summary>Checks "HH:MM:SS" at a position and that it names a real time of day.</summary>
        internal static bool HasTime(char[] s, int at) =>
            s[at + 2] == ':' && s[at + 5] == ':' && Digits(s, at, 2) && Digits(s, at + 3, 2) && Digits(s, at + 6, 2)
            && Number(s, at, 2) < 24 && Number(s, at + 3, 2) < 60 && Number(s, at + 6, 2) < 60;

        private static bool IsBlank(char c) => c == ' ' || c == '\t';

        private static int SkipBlanks(char[] s, int from, int end)
        {
            while (from < end && IsBlank(s[from]))
            {
                from++;
            }

            return from;
        }

        /// <summary>The first blank at or after a position, or the end.</summary>
        private int BlankAfter(int from, int end)
        {
            while (from < end && !IsBlank(line[from]))
            {
                from++;
            }

            return from;
        }

        private int IndexOf(char value, int from, int end) => from >= end ? -1 : Array.IndexOf(line, value, from, end - from);

        /// <summary>True when the label, standing as a word after the function, ends right before the colon (blanks between allowed).</summary>
        private bool LabelEndsAt(int colon, string label)
        {
            int labelEnd = colon;
            while (labelEnd > FunctionStart && IsBlank(line[labelEnd - 1]))
            {
                labelEnd--;
            }

            int at = labelEnd - label.Length;
            return at > FunctionStart + FunctionLength - 1 && IsBlank(line[at - 1]) && Matches(at, label);
        }

        private bool Matches(int at, string value) => TextAt(line, at, value);

        private bool MatchesIgnoreCase(int at, string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = line[at + i];
                char v = value[i];
                if (c != v && char.ToUpperInvariant(c) != char.ToUpperInvariant(v))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Digits(char[] s, int start, int count)
        {
            for (int i = start; i < start + count; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static int Number(char[] s, int start, int count)
        {
            int value = 0;
            for (int i = start; i < start + count; i++)
            {
                value = (value * 10) + (s[i] - '0');
            }

            return value;
        }
    }
}
