using System;
using System.IO;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Hands out the lines of a text reader as ranges of one reused char buffer, so a line that is skipped costs no
    /// string. Lines end at LF; a CR before it is dropped. A line longer than <see cref="MaxLineChars"/> (binary
    /// junk with no newline) is handed out in pieces of that size, so memory stays bounded whatever the input.
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

        public LineSource(TextReader reader)
        {
            this.reader = reader;
        }

        /// <summary>Valid until the next call of <see cref="Next"/>.</summary>
        public char[] Buffer => buffer;

        public int LineStart { get; private set; }

        public int LineLength { get; private set; }

        public bool Next()
        {
            while (true)
            {
                int newline = start < end ? Array.IndexOf(buffer, '\n', start, end - start) : -1;
                if (newline >= 0)
                {
                    Emit(newline);
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

                    Emit(end);
                    start = end;
                    return true;
                }

                if (pending == buffer.Length)
                {
                    if (buffer.Length >= MaxLineChars)
                    {
                        Emit(end);
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

        private void Emit(int lineEnd)
        {
            LineStart = start;
            LineLength = lineEnd > start && buffer[lineEnd - 1] == '\r' ? lineEnd - start - 1 : lineEnd - start;
        }
    }
}
