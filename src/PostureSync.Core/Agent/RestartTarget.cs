using System;
using PostureSync.Core.Health;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// Whether a report piped to Restart-PostureAgent describes this endpoint, live: its Source is Live, its Endpoint
    /// is this computer, and it carries no PSComputerName (Invoke-Command's note) of another computer. Only then does a
    /// restart here cure what the report saw; anything else would drop this machine's VPN tunnel for nothing.
    /// </summary>
    internal static class RestartTarget
    {
        /// <summary>Null when the report is this endpoint's live one; else the RestartNotForThisEndpoint error to write.</summary>
        public static PostureSyncException? Refusal(string? source, string? endpoint, string? computerName, string thisComputer)
        {
            bool live = string.Equals(source, HealthSources.Live, StringComparison.OrdinalIgnoreCase);
            bool here = IsThisComputer(endpoint, thisComputer);
            bool remote = !string.IsNullOrEmpty(computerName) && !IsThisComputer(computerName, thisComputer);
            if (live && here && !remote)
            {
                return null;
            }

            // Where the restart belongs: the computer the result came from, else the one the report names.
            string where = remote ? computerName! : !string.IsNullOrEmpty(endpoint) ? endpoint! : "the endpoint it came from";
            string what = remote ? $"a result from '{computerName}'"
                : string.IsNullOrEmpty(source) ? "an object that does not say where it was made (no Source)"
                : !live ? $"a report made offline from '{source}'"
                : $"a live report of '{endpoint}'";
            string run = string.IsNullOrEmpty(endpoint) && !remote
                ? "Run Restart-PostureAgent on the endpoint that needs it, e.g. Invoke-Command -ComputerName <name> { Restart-PostureAgent -Confirm:$false }."
                : $"Restart the agent where the report was made: Invoke-Command -ComputerName {where} {{ Restart-PostureAgent -Confirm:$false }}"
                    + (live ? "." : " (for a DART bundle, on the computer the bundle came from).");
            return new PostureSyncException(
                ErrorIds.RestartNotForThisEndpoint,
                FailureKind.InvalidArgument,
                $"Not restarted here: the input is {what}, not a live report of this endpoint ('{thisComputer}'), so restarting this machine's agent would cure nothing on '{where}' and would drop this machine's VPN tunnel.",
                where)
            {
                RecommendedAction = run,
            };
        }

        /// <summary>The computer's own name (any case, or its FQDN), localhost or a loopback address.</summary>
        internal static bool IsThisComputer(string? name, string thisComputer)
        {
            if (string.IsNullOrEmpty(name))
            {
                return false;
            }

            string n = name!.Trim();
            return string.Equals(n, thisComputer, StringComparison.OrdinalIgnoreCase)
                || n.StartsWith(thisComputer + ".", StringComparison.OrdinalIgnoreCase)
                || string.Equals(n, "localhost", StringComparison.OrdinalIgnoreCase)
                || n == "." || n == "127.0.0.1" || n == "::1";
        }
    }
}
