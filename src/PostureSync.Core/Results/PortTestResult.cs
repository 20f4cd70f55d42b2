using PostureSync.Core.Probing;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>One TCP connect test of one address of one target (PostureSync.PortTestResult).</summary>
    public sealed class PortTestResult
    {
        /// <summary>The computer the test ran on (the endpoint's side of the rule).</summary>
        public string Source { get; set; } = string.Empty;

        public string TargetName { get; set; } = string.Empty;

        /// <summary>The address connected to; null when the name did not resolve.</summary>
        public string? TargetAddress { get; set; }

        /// <summary><c>IPv4</c> or <c>IPv6</c>; null when there is no address.</summary>
        public string? AddressFamily { get; set; }

        public int Port { get; set; }

        /// <summary>One of <see cref="PortStates"/>.</summary>
        public string State { get; set; } = string.Empty;

        /// <summary>Time until the connect was answered (Open or Closed); null otherwise.</summary>
        public double? LatencyMs { get; set; }

        /// <summary>The socket error name (e.g. <c>ConnectionRefused</c>, <c>TimedOut</c>); null when connected.</summary>
        public string? SocketError { get; set; }

        public string? PostureStatus { get; set; }

        /// <summary><c>Reachable</c> or <c>Blocked</c>; null without a posture status.</summary>
        public string? ExpectedState { get; set; }

        /// <summary><c>Pass</c>/<c>Fail</c> with a posture status, <c>Info</c> without.</summary>
        public string Verdict { get; set; } = Verdicts.Info;

        public string Message { get; set; } = string.Empty;
    }
}
