using System.Text;

namespace PostureSync.Core.Report
{
    /// <summary>
    /// The one way a value reaches the page: every character that could end a text run or a quoted attribute is an
    /// entity, and characters HTML has no use for (controls, lone surrogates) become U+FFFD, so the same encoding is
    /// safe in element text, in double-quoted attributes, in &lt;title&gt; and in SVG text.
    /// </summary>
    internal static class HtmlText
    {
        /// <summary>Longer values are cut here, saying how much was left out: one endpoint's log cannot swell the page.</summary>
        public const int MaxValueLength = 4000;

        public static void Append(StringBuilder page, string? value, int maxLength = MaxValueLength)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            string text = value!;
            int length = text.Length > maxLength ? maxLength : text.Length;
            int runStart = 0;
            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                string? replacement = c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    '\'' => "&#39;",
                    _ => null,
                };
                if (replacement == null)
                {
                    if (char.IsHighSurrogate(c) && i + 1 < length && char.IsLowSurrogate(text[i + 1]))
                    {
                        i++;
                        continue;
                    }

                    bool unusable = (c < ' ' && c != '\t' && c != '\n' && c != '\r') || (c >= '\u007f' && c <= '\u009f') || char.IsSurrogate(c) || c == '\ufffe' || c == '\uffff';
                    if (!unusable)
                    {
                        continue;
                    }

                    replacement = "\ufffd";
                }

                page.Append(text, runStart, i - runStart).Append(replacement);
                runStart = i + 1;
            }

            page.Append(text, runStart, length - runStart);
            if (length < text.Length)
            {
                page.Append(" \u2026 (").Append(text.Length - length).Append(" more characters)");
            }
        }

        public static StringBuilder AppendEncoded(this StringBuilder page, string? value, int maxLength = MaxValueLength)
        {
            Append(page, value, maxLength);
            return page;
        }
    }
}
