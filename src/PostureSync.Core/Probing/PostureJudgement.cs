using System.Globalization;
using PostureSync.Core.Net;

namespace PostureSync.Core.Probing
{
    /// <summary>
    /// The state-sync rule (DOMAIN.md §1, §7): the sync port must connect while posture is Unknown or Pending, and be
    /// blocked once it is Compliant or NonCompliant. Turns a TCP state into an expectation, a verdict and words.
    /// </summary>
    internal static class PostureJudgement
    {
        public static string ExpectedStateFor(PostureStatus status) =>
            PostureSyncRule.PortMustBeBlocked(status) ? ExpectedStates.Blocked : ExpectedStates.Reachable;

        /// <summary>Fills ExpectedState, Verdict and Message of a result whose State, address and port are set.</summary>
        public static void Judge(PortTestResult result, PostureStatus? status, double timeoutSec, string? detail)
        {
            string where = result.TargetAddress is null
                ? result.TargetName
                : EndpointText.Format(result.TargetAddress, result.Port);
            string observed = Observed(result, where, timeoutSec, detail);
            if (status is null)
            {
                result.PostureStatus = null;
                result.ExpectedState = null;
                result.Verdict = Verdicts.Info;
                result.Message = observed;
                return;
            }

            PostureStatus posture = status.Value;
            string expected = ExpectedStateFor(posture);
            result.PostureStatus = posture.ToString();
            result.ExpectedState = expected;
            if (result.State == PortStates.Excluded)
            {
                // Left out on purpose: neither proof nor failure of the rule.
                result.Verdict = Verdicts.Info;
                result.Message = observed + " The rule for posture " + posture + " (port " + expected.ToLowerInvariant() + ") is not checked for this target; run without -AddressFamily to test it.";
                return;
            }

            bool pass = expected == ExpectedStates.Reachable
                ? result.State == PortStates.Open
                : result.State == PortStates.Filtered || result.State == PortStates.Closed || result.State == PortStates.Unreachable;
            result.Verdict = pass ? Verdicts.Pass : Verdicts.Fail;
            result.Message = observed + " " + Meaning(result, posture, expected);
        }

        private static string Observed(PortTestResult result, string where, double timeoutSec, string? detail)
        {
            switch (result.State)
            {
                case PortStates.Open:
                    return "TCP connect to " + where + " succeeded in " + Ms(result.LatencyMs) + " ms (no byte sent, closed at once).";
                case PortStates.Closed:
                    return "TCP connect to " + where + " was refused (reset) in " + Ms(result.LatencyMs) + " ms: nothing accepts connections on that port, or a firewall resets them.";
                case PortStates.Filtered:
                    return "TCP connect to " + where + " got no answer within " + timeoutSec.ToString("0.###", CultureInfo.InvariantCulture) + " s: a dACL, ACL or firewall drops it, or the host is down.";
                case PortStates.Unreachable:
                    return "TCP connect to " + where + " failed: " + (detail ?? "host or network unreachable") + " (no route, or an ACL answered with ICMP unreachable).";
                case PortStates.Unresolved:
                    return (detail ?? "'" + result.TargetName + "' did not resolve") + "; nothing was tested.";
                case PortStates.Excluded:
                    return (detail ?? "-AddressFamily excludes every address of '" + result.TargetName + "'") + "; nothing was tested.";
                default:
                    return "TCP connect to " + where + " failed: " + (detail ?? result.SocketError ?? "unknown error") + ".";
            }
        }

        private static string Meaning(PortTestResult result, PostureStatus posture, string expected)
        {
            string port = result.Port.ToString(CultureInfo.InvariantCulture);
            if (result.State == PortStates.Error)
            {
                return "The rule for posture " + posture + " (port " + expected.ToLowerInvariant() + ") could not be checked for this target: see SocketError.";
            }

            if (expected == ExpectedStates.Reachable)
            {
                switch (result.State)
                {
                    case PortStates.Open:
                        return "Reachable as it must be while posture is " + posture + ": the agent's state-sync probe can reach this PSN.";
                    case PortStates.Unresolved:
                        return "While posture is " + posture + " the PSN must be reachable, and the agent resolves the same name: if it does not resolve there either, "
                            + "the agent cannot probe this PSN [inferred]. Check DNS for the name (or -AddressFamily).";
                    default:
                        return "While posture is " + posture + " the port must be reachable: the agent cannot probe this PSN, so if ISE loses the session the endpoint stays in posture unknown. "
                            + "Check that this is a PSN, its portal's bidirectional port (" + port + "), and the ACLs and firewalls on the path.";
                }
            }

            switch (result.State)
            {
                case PortStates.Open:
                    return "While posture is " + posture + " the port must be blocked: the dACL lacks the deny for this PSN "
                        + "(" + Acl.DaclAdvice.DenyAce(result.TargetAddress ?? result.TargetName, result.Port) + " must come first). "
                        + "ISE will raise \"Posture Configuration Detection\" and the agent will stop syncing until Secure Client is restarted.";
                case PortStates.Filtered:
                    return "Blocked as it must be while posture is " + posture + " (a dACL deny drops the SYN, or something else on the path does [inferred]).";
                case PortStates.Closed:
                    return "Not reachable, as it must be while posture is " + posture + "; but a dACL deny drops silently, so the reset came from something else "
                        + "(nothing listening, or a firewall) and the dACL is not proven [inferred].";
                case PortStates.Unreachable:
                    return "Not reachable, as it must be while posture is " + posture + "; but a dACL deny drops silently, so a router ACL or a missing route "
                        + "stops it and the dACL is not proven [inferred].";
                default:
                    return "The rule for posture " + posture + " (port blocked) could not be checked for this target.";
            }
        }

        private static string Ms(double? value) => (value ?? 0).ToString("0.##", CultureInfo.InvariantCulture);
    }
}
