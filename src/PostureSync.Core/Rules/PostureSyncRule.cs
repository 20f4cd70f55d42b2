using System;
using PostureSync.Core.Probing;

namespace PostureSync.Core
{
    /// <summary>
    /// The state-sync rule and the numbers around it, in one place (DOMAIN.md §1, §3, §7). The constants are usable in
    /// attribute arguments, so the cmdlets' [ValidateRange] and defaults say the same as the core's own checks.
    /// </summary>
    internal static class PostureSyncRule
    {
        /// <summary>The PSNs' state-sync port: the Client Provisioning portal's default bidirectional port.</summary>
        public const int SyncPort = 8449;

        public const int MinPort = 1;

        public const int MaxPort = 65535;

        /// <summary>Below this NetworkTransitionDelay (seconds) a probe can run before the Compliant dACL is applied (CSCwd58316).</summary>
        public const int MinNetworkTransitionDelaySec = 10;

        /// <summary>The StateSyncProbeInterval ISE accepts, in seconds; 0 (or none) switches state sync off.</summary>
        public const int MinProbeIntervalSec = 1;

        public const int MaxProbeIntervalSec = 300;

        /// <summary>The probe interval range as findings write it: "1-300 s".</summary>
        public static readonly string ProbeIntervalRange = MinProbeIntervalSec + "-" + MaxProbeIntervalSec + " s";

        /// <summary>The default bound on each connect, resolve and TLS or HTTP step, in seconds.</summary>
        public const double DefaultTimeoutSec = 2;

        /// <summary>The default number of connects or probes in flight at once.</summary>
        public const int DefaultThrottleLimit = 32;

        /// <summary>The default pause from one probe round to the next, in seconds.</summary>
        public const double DefaultIntervalSec = 10;

        /// <summary>The shortest connect or resolve timeout a cmdlet takes, in seconds.</summary>
        public const double MinTimeoutSec = 0.01;

        /// <summary>The shortest time a cmdlet gives an operating-system tool it runs (the live log's tool, the agent restart), in seconds.</summary>
        public const double MinToolTimeoutSec = 1;

        /// <summary>The longest timeout any wait takes, in seconds: an hour.</summary>
        public const double MaxTimeoutSec = 3600;

        /// <summary>The most connects a port scan keeps in flight at once.</summary>
        public const int MaxThrottleLimit = 1024;

        /// <summary>The longest pause between two probe rounds, in seconds: a day.</summary>
        public const double MaxIntervalSec = 86400;

        /// <summary>
        /// The rule itself: while ISE has not decided (Unknown, Pending) the sync port must be reachable; once it has
        /// (Compliant or NonCompliant), the port must be blocked, or ISE raises "Posture Configuration Detection".
        /// </summary>
        public static bool PortMustBeBlocked(PostureStatus status) =>
            status == PostureStatus.Compliant || status == PostureStatus.NonCompliant;

        /// <summary>Whether a profile's NetworkTransitionDelay is long enough to keep probes from raising false alarms (CSCwd58316).</summary>
        public static bool TransitionDelayIsEnough(int? delaySec) => delaySec >= MinNetworkTransitionDelaySec;

        /// <summary>The rule for a status given as text (any case); false for text that names no status.</summary>
        public static bool PortMustBeBlocked(string? status) =>
            Enum.TryParse(status, ignoreCase: true, out PostureStatus parsed) && Enum.IsDefined(typeof(PostureStatus), parsed) && PortMustBeBlocked(parsed);
    }
}
