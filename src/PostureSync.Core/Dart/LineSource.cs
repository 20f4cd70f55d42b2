using System;
using System.IO;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Hands out the lines of a text reader as ranges of one reused char buffer, so a line that is skipped costs no
    /// string. Lines end at LF; the CRs before it are dropped (CRLF, and CRCRLF from a copy converted twice). A line
    /// longer than <see cref="MaxLineChars"/> (binary junk with no newline) is handed out in pieces of that size,
    /// flagged by <see cref="ContinuesLine"/>, so memory stays bounded whatever the input.
    /// </summary>
    internal sealed class LineSource
    {
        internal const int MaxLineChars = 1 << 20;
        private const int InitialChars = 1 << 16;

        private readonly TextReader reader;
        private char[] buffer = new char[InitialChars];
        private int start;
        private int end;
        private bool eof;
        private bool lineOpen;

        public LineSource(TextReader reader)
        {
            this.reader = reader;
        }

        /// <summary>Valid until the next call of <see cref="Next"/>.</summary>
        public char[] Buffer => buffer;

        public int LineStart { get; private set; }

        public int LineLength { get; private set; }

        /// <summary>True when this piece continues a line too long to hand out at once (not a new line).</summary>
        public bool ContinuesLine { get; private set; }

        public bool Next()
        {
            while (true)
            {
                int newline = start < end ? Array.IndexOf(buffer, '\n', start, end - start) : -1;
                if (newline >= 0)
                {
                    Emit(newline, lineEnds: true);
                    start = newline + 1;
                    return true;
                }

                int pending = end - start;
                if (eof)
                {
                    if (pending == 0)
                    {
                        return false;
                    }

                    Emit(end, lineEnds: true);
                    start = end;
                    return true;
                }

                if (pending == buffer.Length)
                {
                    if (buffer.Length >= MaxLineChars)
                    {
                        Emit(end, lineEnds: false);
                        start = end;
                        return true;
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                else if (start > 0)
                {
                    Array.Copy(buffer, start, buffer, 0, pending);
                    start = 0;
                    end = pending;
                }

                int read = reader.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    eof = true;
                }
                else
                {
                    end += read;
                }
            }
        }

        private void Emit(int lineEnd, bool lineEnds)
        {
            ContinuesLine = lineOpen;
            lineOpen = !lineEnds;
            if (lineEnds)
            {
                while (lineEnd > start && buffer[lineEnd - 1] == '\r')
                {
                    lineEnd--;
                }
            }

            LineStart = start;
            LineLength = lineEnd - start;
        }
    }
}
