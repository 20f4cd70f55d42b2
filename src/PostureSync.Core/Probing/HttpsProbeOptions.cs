using System;
using System.Globalization;
using System.Linq;
using PostureSync.Core.Net;

namespace PostureSync.Core.Probing
{
    /// <summary>What an HTTPS probe run does: port, bounds, rounds, request, and the posture it is judged under.</summary>
    internal sealed class HttpsProbeOptions
    {
        public int Port { get; set; } = PostureSyncRule.SyncPort;

        /// <summary>Bound on each step (connect, TLS handshake, HTTP exchange), in seconds; fractions allowed.</summary>
        public double TimeoutSec { get; set; } = PostureSyncRule.DefaultTimeoutSec;

        /// <summary>Rounds; each round probes every target once.</summary>
        public int Count { get; set; } = 1;

        /// <summary>Seconds from the start of one round to the start of the next (the agent's kind of timer).</summary>
        public double IntervalSec { get; set; } = PostureSyncRule.DefaultIntervalSec;

        /// <summary>The path of the GET; the agent's real path is not public, so it is the caller's choice.</summary>
        public string RequestPath { get; set; } = "/";

        /// <summary>Go on with the exchange when the certificate fails; it is examined and reported either way.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>With Compliant or NonCompliant, a successful connect stops before TLS unless <see cref="Force"/>.</summary>
        public PostureStatus? PostureStatus { get; set; }

        public bool Force { get; set; }

        public AddressFamilyFilter AddressFamily { get; set; } = AddressFamilyFilter.Any;

        /// <summary>Probes in flight at once.</summary>
        public int ThrottleLimit { get; set; } = PostureSyncRule.DefaultThrottleLimit;

        /// <summary>Put in <c>User-Agent: PostureSync/&lt;version&gt;</c>.</summary>
        public string UserAgentVersion { get; set; } = "0.0.0";

        internal TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSec);

        /// <summary>The timeout as the explanations write it, e.g. "2 s".</summary>
        internal string TimeoutText => TimeoutSec.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        /// <summary>Whether the posture given makes the port one that must be blocked (Compliant, NonCompliant).</summary>
        internal bool PortMustBeBlocked => PostureStatus is PostureStatus status && PostureSyncRule.PortMustBeBlocked(status);

        internal bool StopsBeforeTls => StopsBeforeTlsFor(PostureStatus, Force);

        /// <summary>A connect that succeeds while the port must be blocked stops before TLS, unless forced.</summary>
        internal static bool StopsBeforeTlsFor(PostureStatus? posture, bool force) =>
            posture is PostureStatus status && PostureSyncRule.PortMustBeBlocked(status) && !force;

        internal void Validate()
        {
            ProbeLimits.CheckPort(Port);
            ProbeLimits.CheckTimeout(TimeoutSec);
            if (Count < 1)
            {
                throw Invalid(ErrorIds.InvalidCount, "The count " + Count.ToString(CultureInfo.InvariantCulture) + " must be at least 1.", Count);
            }

            if (double.IsNaN(IntervalSec) || IntervalSec < 0 || IntervalSec > PostureSyncRule.MaxIntervalSec)
            {
                throw Invalid(ErrorIds.InvalidInterval, "The interval " + IntervalSec.ToString(CultureInfo.InvariantCulture) + " s must be from 0 to " + PostureSyncRule.MaxIntervalSec.ToString(CultureInfo.InvariantCulture) + " s.", IntervalSec);
            }

            if (ThrottleLimit < 1)
            {
                throw Invalid(ErrorIds.InvalidThrottleLimit, "The throttle limit " + ThrottleLimit.ToString(CultureInfo.InvariantCulture) + " must be at least 1.", ThrottleLimit);
            }

            if (string.IsNullOrEmpty(RequestPath) || RequestPath[0] != '/' || RequestPath.Any(c => c <= ' ' || c >= 127))
            {
                throw new PostureSyncException(
                    ErrorIds.InvalidRequestPath,
                    FailureKind.InvalidArgument,
                    "The request path '" + RequestPath + "' must start with '/' and contain no spaces, control or non-ASCII characters.",
                    RequestPath)
                {
                    RecommendedAction = "Percent-encode the path, e.g. /a%20b.",
                };
            }

            if (string.IsNullOrEmpty(UserAgentVersion) || UserAgentVersion.Any(c => c <= ' ' || c >= 127))
            {
                throw Invalid(ErrorIds.InvalidUserAgentVersion, "The version '" + UserAgentVersion + "' cannot go into a User-Agent header.", UserAgentVersion);
            }
        }

        private static PostureSyncException Invalid(string errorId, string message, object target) =>
            new PostureSyncException(errorId, FailureKind.InvalidArgument, message, target);
    }
}
