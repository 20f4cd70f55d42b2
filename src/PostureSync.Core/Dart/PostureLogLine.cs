using System;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Field positions of one record line of AnyConnect_ISEPosture.txt:
    /// <c>YYYY/MM/DD HH:MM:SS [Severity] process Function: func Thread Id: 0xHEX File: file Line: n Level: lvl :: message</c>.
    /// Everything after the severity may be missing (copies are often cut). The line is a range of a reused char
    /// buffer; positions are absolute indexes into it, and strings are only made for the records the caller keeps,
    /// so a skipped line costs no allocation at all.
    /// </summary>
    internal sealed class PostureLogLine
    {
        private const string FunctionMarker = "Function:";
        private const string ThreadLabel = "Thread Id";
        private const string FileLabel = "File";
        private const string LineLabel = "Line";
        private const string LevelLabel = "Level";

        // Longer "severities" mean the bracket belongs to something else.
        private const int MaxSeverityLength = 32;

        private bool tailParsed;
        private int dateStart;
        private int timeStart;

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

        /// <summary>A whole string as the line (tests and callers outside the streaming path).</summary>
        public bool TryParse(string text) => TryParse(text.ToCharArray(), 0, text.Length);

        /// <summary>
        /// True when the line starts with a valid timestamp and "[Severity]": it opens a record. Spacing is taken
        /// loosely, as copies of the log are often re-spaced: blanks (spaces, tabs) or a stray byte order mark before
        /// the timestamp, runs of blanks between the fields, blanks inside the brackets, a missing process, and
        /// "Function:" with or without a blank before the name.
        /// </summary>
        public bool TryParse(char[] buffer, int start, int length)
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

            line = buffer;
            LineStart = start;
            lineEnd = end;
            this.dateStart = dateStart;
            this.timeStart = timeStart;
            tailParsed = false;
            SeverityStart = severityStart;
            SeverityLength = severityEnd - severityStart;
            ThreadStart = FileStart = SourceLineStart = LevelStart = -1;
            ThreadLength = FileLength = SourceLineLength = LevelLength = 0;
            MessageStart = -1;
            FunctionStart = -1;
            FunctionLength = 0;
            MethodStart = -1;

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
                int functionStart = SkipBlanks(buffer, functionMarker + FunctionMarker.Length, end);
                int functionEnd = BlankAfter(functionStart, end);
                FunctionStart = functionStart;
                FunctionLength = functionEnd - functionStart;
                MethodStart = functionStart;
                for (int i = functionEnd - 1; i > functionStart; i--)
                {
                    if (buffer[i] == ':' && buffer[i - 1] == ':')
                    {
                        MethodStart = i + 1;
                        break;
                    }
                }
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

        public DateTime Timestamp() => new DateTime(
            Number(line, dateStart, 4),
            Number(line, dateStart + 5, 2),
            Number(line, dateStart + 8, 2),
            Number(line, timeStart, 2),
            Number(line, timeStart + 3, 2),
            Number(line, timeStart + 6, 2),
            DateTimeKind.Unspecified);

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

        private bool Matches(int at, string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (line[at + i] != value[i])
                {
                    return false;
                }
            }

            return true;
        }

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
