using System;
using System.Collections.Generic;
using System.IO;

namespace PostureSync.Core.AgentLog
{
    /// <summary>Lines handed out one at a time (a live source's) read as one text, each ended by a newline.</summary>
    internal sealed class LineFeedReader : TextReader
    {
        private readonly IEnumerator<string> lines;
        private string current = string.Empty;
        private int position;
        private bool ended;

        public LineFeedReader(IEnumerable<string> lines)
        {
            this.lines = lines.GetEnumerator();
        }

        public override int Peek() => Fill() ? current[position] : -1;

        public override int Read() => Fill() ? current[position++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            if (count == 0 || !Fill())
            {
                return 0;
            }

            int taken = Math.Min(count, current.Length - position);
            current.CopyTo(position, buffer, index, taken);
            position += taken;
            return taken;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                lines.Dispose(); // ends the source: a tool still running is killed
            }

            base.Dispose(disposing);
        }

        /// <summary>True when there is a character to read; moves to the next line when this one is used up.</summary>
        private bool Fill()
        {
            while (!ended && position >= current.Length)
            {
                if (!lines.MoveNext())
                {
                    ended = true;
                    break;
                }

                current = lines.Current + "\n";
                position = 0;
            }

            return !ended || position < current.Length;
        }
    }
}
