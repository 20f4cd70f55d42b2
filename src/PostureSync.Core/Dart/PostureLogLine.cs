using System;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Field positions of one record line of AnyConnect_ISEPosture.txt:
    /// <c>YYYY/MM/DD HH:MM:SS [Severity] process Function: func Thread Id: 0xHEX File: file Line: n Level: lvl :: message</c>.
    /// Everything after the severity may be missing (copies are often cut). Positions are found with ordinal
    /// searches on the line and substrings are only taken by the caller for the records it keeps, so lines that
    /// are skipped cost no allocation beyond the line itself.
    /// </summary>
    internal sealed class PostureLogLine
    {
        private const string FunctionMarker = "Function: ";
        private const string ThreadMarker = "Thread Id: ";
        private const string FileMarker = "File: ";
        private const string LineMarker = "Line: ";
        private const string LevelMarker = "Level: ";
        private const string MessageMarker = " :: ";

        // Longer "severities" mean the bracket belongs to something else.
        private const int MaxSeverityLength = 32;

        private bool tailParsed;

        public string Line { get; private set; } = string.Empty;

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

        /// <summary>True when the line starts with a valid timestamp and "[Severity]": it opens a record.</summary>
        public bool TryParse(string line)
        {
            if (!HasTimestamp(line) || line.Length < 23 || line[20] != '[')
            {
                return false;
            }

            int close = line.IndexOf(']', 21, Math.Min(MaxSeverityLength + 1, line.Length - 21));
            if (close <= 21)
            {
                return false;
            }

            Line = line;
            tailParsed = false;
            SeverityStart = 21;
            SeverityLength = close - 21;
            ThreadStart = FileStart = SourceLineStart = LevelStart = -1;
            ThreadLength = FileLength = SourceLineLength = LevelLength = 0;
            MessageStart = -1;
            FunctionStart = -1;
            FunctionLength = 0;
            MethodStart = -1;

            int processStart = close + 1;
            if (processStart < line.Length && line[processStart] == ' ')
            {
                processStart++;
            }

            int processEnd = line.IndexOf(' ', processStart);
            if (processEnd < 0)
            {
                processEnd = line.Length;
            }

            ProcessStart = processStart;
            ProcessLength = processEnd - processStart;
            int functionMarker = processEnd + 1;
            if (functionMarker + FunctionMarker.Length <= line.Length
                && string.CompareOrdinal(line, functionMarker, FunctionMarker, 0, FunctionMarker.Length) == 0)
            {
                int functionStart = functionMarker + FunctionMarker.Length;
                int functionEnd = line.IndexOf(' ', functionStart);
                if (functionEnd < 0)
                {
                    functionEnd = line.Length;
                }

                FunctionStart = functionStart;
                FunctionLength = functionEnd - functionStart;
                int separator = FunctionLength >= 2 ? line.LastIndexOf("::", functionEnd - 1, FunctionLength, StringComparison.Ordinal) : -1;
                MethodStart = separator < 0 ? functionStart : separator + 2;
            }
            else
            {
                // No function: the rest of the line after the process is the message.
                MessageStart = processEnd < line.Length ? processEnd + 1 : line.Length;
                tailParsed = true;
            }

            return true;
        }

        /// <summary>Finds thread, file, line, level and message; done only for records that may be kept.</summary>
        public void ParseTail()
        {
            if (tailParsed)
            {
                return;
            }

            tailParsed = true;
            string line = Line;
            int position = FunctionStart + FunctionLength;
            int separator = line.IndexOf(MessageMarker, position, StringComparison.Ordinal);
            int headerEnd = separator < 0 ? line.Length : separator;
            MessageStart = separator < 0 ? -1 : separator + MessageMarker.Length;

            position = Field(line, ThreadMarker, position, headerEnd, out int start, out int length);
            ThreadStart = start;
            ThreadLength = length;
            position = Field(line, FileMarker, position, headerEnd, out start, out length);
            FileStart = start;
            FileLength = length;
            position = Field(line, LineMarker, position, headerEnd, out start, out length);
            SourceLineStart = start;
            SourceLineLength = length;
            Field(line, LevelMarker, position, headerEnd, out start, out length);
            LevelStart = start;
            LevelLength = length;
        }

        public bool SeverityIs(string value) => SeverityLength == value.Length
            && string.Compare(Line, SeverityStart, value, 0, value.Length, StringComparison.OrdinalIgnoreCase) == 0;

        public bool LevelIs(string value)
        {
            ParseTail();
            return LevelLength == value.Length
                && string.Compare(Line, LevelStart, value, 0, value.Length, StringComparison.OrdinalIgnoreCase) == 0;
        }

        public bool SourceFileIs(string value)
        {
            ParseTail();
            return FileLength == value.Length
                && string.Compare(Line, FileStart, value, 0, value.Length, StringComparison.OrdinalIgnoreCase) == 0;
        }

        public bool MethodIs(string value) => MethodLength == value.Length
            && string.CompareOrdinal(Line, MethodStart, value, 0, value.Length) == 0;

        public bool MethodStartsWith(string value) => MethodLength >= value.Length
            && string.CompareOrdinal(Line, MethodStart, value, 0, value.Length) == 0;

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
                && (classStart == FunctionStart || Line[classStart - 1] == ':')
                && string.CompareOrdinal(Line, classStart, value, 0, value.Length) == 0;
        }

        public DateTime Timestamp() => TimestampOf(Line);

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
                char c = Line[i];
                if (c < '0' || c > '9')
                {
                    return null;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }

        /// <summary>Checks "YYYY/MM/DD HH:MM:SS " and that it names a real date and time.</summary>
        internal static bool HasTimestamp(string line)
        {
            if (line.Length < 20
                || line[4] != '/' || line[7] != '/' || line[10] != ' ' || line[13] != ':' || line[16] != ':' || line[19] != ' ')
            {
                return false;
            }

            if (!Digits(line, 0, 4) || !Digits(line, 5, 2) || !Digits(line, 8, 2) || !Digits(line, 11, 2) || !Digits(line, 14, 2) || !Digits(line, 17, 2))
            {
                return false;
            }

            int year = Number(line, 0, 4);
            int month = Number(line, 5, 2);
            int day = Number(line, 8, 2);
            return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
                && Number(line, 11, 2) < 24 && Number(line, 14, 2) < 60 && Number(line, 17, 2) < 60;
        }

        /// <summary>The timestamp of a line that passed <see cref="HasTimestamp"/>.</summary>
        internal static DateTime TimestampOf(string line) => new DateTime(
            Number(line, 0, 4), Number(line, 5, 2), Number(line, 8, 2), Number(line, 11, 2), Number(line, 14, 2), Number(line, 17, 2), DateTimeKind.Unspecified);

        private static int Field(string line, string marker, int from, int headerEnd, out int start, out int length)
        {
            start = -1;
            length = 0;
            if (from >= headerEnd)
            {
                return from;
            }

            int at = line.IndexOf(marker, from, headerEnd - from, StringComparison.Ordinal);
            if (at < 0)
            {
                return from;
            }

            start = at + marker.Length;
            int end = line.IndexOf(' ', start, headerEnd - start);
            if (end < 0)
            {
                end = headerEnd;
            }

            length = end - start;
            return end;
        }

        private static bool Digits(string s, int start, int count)
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

        private static int Number(string s, int start, int count)
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
