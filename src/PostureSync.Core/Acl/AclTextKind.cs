using System;
using System.Text.RegularExpressions;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// Recognises input that is plainly something other than ACL text (a posture log, an XML profile, an image, a zip),
    /// so it is refused with one error that says what it looks like, instead of one syntax error per line.
    /// </summary>
    internal static class AclTextKind
    {
        private static readonly Regex PostureLogRecord = new Regex(@"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} \[\w+\]", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        /// <summary>What the text looks like when it is not ACL text; null when it may be one (or is empty).</summary>
        public static string? NotAclText(string text)
        {
            string start = FirstLine(text);
            if (start.StartsWith("\uFFFDPNG", StringComparison.Ordinal) || start.StartsWith("\u0089PNG", StringComparison.Ordinal))
            {
                return "a PNG image";
            }

            if (start.StartsWith("PK\u0003\u0004", StringComparison.Ordinal))
            {
                return "a zip archive (a DART bundle goes to Get-PostureSyncConfig or Test-PostureSyncHealth)";
            }

            if (start.StartsWith("%PDF", StringComparison.Ordinal))
            {
                return "a PDF document";
            }

            if (start.StartsWith("<", StringComparison.Ordinal))
            {
                return start.IndexOf("cfg", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("<cfg", StringComparison.OrdinalIgnoreCase) >= 0
                    ? "an XML document (a posture profile, ISEPostureCFG.xml, goes to Get-PostureSyncConfig)"
                    : "an XML or HTML document";
            }

            if (PostureLogRecord.IsMatch(start))
            {
                return "a posture agent log (AnyConnect_ISEPosture.txt goes to Get-DartSyncEvents)";
            }

            return text.IndexOf('\0') >= 0 ? "binary data, not text" : null;
        }

        /// <summary>Throws DaclNotAclText when <see cref="NotAclText"/> recognises the input.</summary>
        public static void Refuse(string text, string source)
        {
            string? kind = NotAclText(text);
            if (kind != null)
            {
                throw new PostureSyncException(ErrorIds.DaclNotAclText, FailureKind.InvalidData, $"{source} is not ACL text: it looks like {kind}.", source)
                {
                    RecommendedAction = "Pass the dACL text (one ACE per line), the RADIUS av-pairs, or 'show access-lists' output.",
                };
            }
        }

        private static string FirstLine(string text)
        {
            int i = 0;
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == '\uFEFF'))
            {
                i++;
            }

            int end = text.IndexOfAny(new[] { '\n', '\r' }, i);
            return end < 0 ? text.Substring(i) : text.Substring(i, end - i);
        }
    }
}
