using System.Collections.Generic;
using System.Text;

namespace PostureSync.Core.Acl
{
    /// <summary>A word of an ACE and its 1-based column.</summary>
    internal readonly struct AclToken
    {
        public AclToken(string text, int column)
        {
            Text = text;
            Column = column;
        }

        public string Text { get; }

        public int Column { get; }

        public override string ToString() => Text;
    }

    /// <summary>Splits one ACE into words: blanks separate, and a comma is a word of its own (<c>10.0.0.0, wildcard bits</c>).</summary>
    internal static class AclTokenizer
    {
        public const string EndOfLine = "end of line";

        /// <summary>Tokens longer than this are shown cut short in messages.</summary>
        private const int MaxShownTokenLength = 40;

        public static IReadOnlyList<AclToken> Tokenize(string line)
        {
            var tokens = new List<AclToken>();
            int i = 0;
            while (i < line.Length)
            {
                char c = line[i];
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v')
                {
                    i++;
                    continue;
                }

                if (c == ',')
                {
                    tokens.Add(new AclToken(",", i + 1));
                    i++;
                    continue;
                }

                int start = i;
                while (i < line.Length && !IsSeparator(line[i]))
                {
                    i++;
                }

                tokens.Add(new AclToken(line.Substring(start, i - start), start + 1));
            }

            return tokens;
        }

        /// <summary>A token as a message shows it: control characters escaped, long tokens cut.</summary>
        public static string Printable(string token)
        {
            var text = new StringBuilder();
            foreach (char c in token)
            {
                if (text.Length >= MaxShownTokenLength)
                {
                    text.Append("...");
                    break;
                }

                if (c < ' ' || c == '\u007f' || (c >= '\u0080' && c < '\u00a0') || c == '\ufffd')
                {
                    text.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(c);
                }
            }

            return text.ToString();
        }

        private static bool IsSeparator(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || c == ',';
    }
}
