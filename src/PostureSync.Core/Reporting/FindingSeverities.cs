using System;
using System.Collections.Generic;
using System.Linq;

namespace PostureSync.Core
{
    /// <summary>
    /// The one severity vocabulary of every finding (<c>&lt;ID or check&gt; &lt;Severity&gt;: ...</c>), profile, dACL
    /// and health alike, and the order findings are listed in: worst first.
    /// </summary>
    internal static class FindingSeverities
    {
        public const string Error = "Error";
        public const string Warning = "Warning";
        public const string Information = "Information";

        /// <summary>The severity word of a finding (its second word, before the colon); null when it has none.</summary>
        public static string? Of(string finding)
        {
            int space = finding.IndexOf(' ');
            int colon = space < 0 ? -1 : finding.IndexOf(':', space + 1);
            return colon < 0 ? null : finding.Substring(space + 1, colon - space - 1);
        }

        /// <summary>Errors, then warnings, then information; the order within one severity is kept.</summary>
        public static string[] WorstFirst(IEnumerable<string> findings) =>
            findings.Select((finding, index) => (finding, index))
                .OrderBy(f => Rank(Of(f.finding)))
                .ThenBy(f => f.index)
                .Select(f => f.finding)
                .ToArray();

        public static bool IsInformation(string finding) => string.Equals(Of(finding), Information, StringComparison.Ordinal);

        private static int Rank(string? severity) =>
            severity == Error ? 0 : severity == Warning ? 1 : 2;
    }
}
