namespace PostureSync.Core.Probing
{
    /// <summary>The posture state ISE holds for the endpoint, as the admin states it.</summary>
    public enum PostureStatus
    {
        Unknown,
        Pending,
        Compliant,
        NonCompliant,
    }

    /// <summary>Which of a name's addresses are tested.</summary>
    public enum AddressFamilyFilter
    {
        Any,
        IPv4,
        IPv6,
    }

    /// <summary>TCP states reported in results (strings, so they survive remoting and read well).</summary>
    internal static class PortStates
    {
        public const string Open = "Open";
        public const string Closed = "Closed";
        public const string Filtered = "Filtered";
        public const string Unreachable = "Unreachable";
        public const string Unresolved = "Unresolved";

        /// <summary>Not tested: -AddressFamily leaves none of the target's addresses.</summary>
        public const string Excluded = "Excluded";
        public const string Error = "Error";
    }

    internal static class ExpectedStates
    {
        public const string Reachable = "Reachable";
        public const string Blocked = "Blocked";
    }

    internal static class Verdicts
    {
        public const string Pass = "Pass";
        public const string Fail = "Fail";
        public const string Info = "Info";
    }

    /// <summary>How one HTTPS probe round ended.</summary>
    internal static class ProbeOutcomes
    {
        public const string Answered = "Answered";
        public const string Blocked = "Blocked";
        public const string Refused = "Refused";
        public const string Unresolved = "Unresolved";

        /// <summary>Nothing sent: -AddressFamily leaves none of the target's addresses.</summary>
        public const string Excluded = "Excluded";
        public const string TlsFailed = "TlsFailed";
        public const string HttpFailed = "HttpFailed";
        public const string Timeout = "Timeout";
        public const string StoppedToAvoidAlarm = "StoppedToAvoidAlarm";
    }
}
