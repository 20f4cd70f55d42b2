using System.Collections.Generic;
using System.IO;
using PostureSync.Core.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    public class LineSourceTests
    {
        private static List<string> Lines(string text)
        {
            var source = new LineSource(new StringReader(text));
            var lines = new List<string>();
            while (source.Next())
            {
                lines.Add(new string(source.Buffer, source.LineStart, source.LineLength));
            }

            return lines;
        }

        [Fact]
        public void LfCrLfAndALastLineWithoutNewline()
        {
            Assert.Equal(new[] { "a", "b", string.Empty, "c" }, Lines("a\r\nb\n\r\nc"));
        }

        [Fact]
        public void NothingFromNothing()
        {
            Assert.Empty(Lines(string.Empty));
        }

        [Fact]
        public void LinesAcrossBufferRefills()
        {
            string line = new string('x', 50_000);
            Assert.Equal(new[] { line, line, line, "end" }, Lines(line + "\n" + line + "\r\n" + line + "\nend\n"));
        }

        [Fact]
        public void AnEndlessLineComesInBoundedPieces()
        {
            int length = (LineSource.MaxLineChars * 2) + 10;
            List<string> lines = Lines(new string('y', length) + "\nnext");

            Assert.Equal(new[] { LineSource.MaxLineChars, LineSource.MaxLineChars, 10, 4 }, lines.ConvertAll(l => l.Length));
        }
    }
}
