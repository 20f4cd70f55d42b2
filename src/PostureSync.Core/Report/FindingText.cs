using System.Text.RegularExpressions;

namespace PostureSync.Core.Report
{
    /// <summary>A health finding, "&lt;check&gt; &lt;severity&gt;: &lt;what&gt; -&gt; &lt;what to do&gt;", in its parts.</summary>
    internal sealed class FindingText
    {
        private static readonly Regex Shape = new Regex(
            @"^(?<check>\S+) (?<severity>[A-Za-z]+): (?<what>.*?) -> (?<todo>.*)$",
            RegexOptions.Singleline | RegexOptions.CultureInvariant,
            System.TimeSpan.FromSeconds(1));

        private FindingText(string? check, string? severity, string what, string? todo)
        {
            Check = check;
            Severity = severity;
            What = what;
            ToDo = todo;
        }

        public string? Check { get; }

        public string? Severity { get; }

        public string What { get; }

        /// <summary>Null when the text does not follow the finding shape (it is shown whole as <see cref="What"/>).</summary>
        public string? ToDo { get; }

        public static FindingText Parse(string finding)
        {
            Match match;
            try
            {
                match = Shape.Match(finding);
            }
            catch (RegexMatchTimeoutException)
            {
                return new FindingText(null, null, finding, null);
            }

            return match.Success
                ? new FindingText(match.Groups["check"].Value, match.Groups["severity"].Value, match.Groups["what"].Value, match.Groups["todo"].Value)
                : new FindingText(null, null, finding, null);
        }
    }
}
