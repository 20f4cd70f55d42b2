using System;
using System.Collections.Generic;
using System.Net;
using PostureSync.Core.Acl;
using PostureSync.Core.Probing;

namespace PostureSync.Core.Health
{
    /// <summary>What a health check is asked to judge, beyond what it finds on the endpoint or in the bundle.</summary>
    internal sealed class HealthCheckOptions
    {
        /// <summary>The posture status ISE holds for the endpoint; null takes the last one the agent logged.</summary>
        public PostureStatus? PostureStatus { get; set; }

        /// <summary>The PSNs' state-sync port, for the port and the dACL checks.</summary>
        public int Port { get; set; } = PostureSyncRule.SyncPort;

        /// <summary>Bounds each connect and each name resolution.</summary>
        public double TimeoutSec { get; set; } = PostureSyncRule.DefaultTimeoutSec;

        /// <summary>The dACL applied while Compliant, already parsed; null skips the dACL check.</summary>
        public AclDocument? Dacl { get; set; }

        /// <summary>PSNs (addresses or names) to check the dACL against instead of the profile's probe targets.</summary>
        public IReadOnlyList<string> PsnAddresses { get; set; } = Array.Empty<string>();

        /// <summary>Addresses for probe-target names, consulted before any resolver (names are not resolved offline).</summary>
        public IReadOnlyList<KeyValuePair<string, IPAddress>> PsnNames { get; set; } = Array.Empty<KeyValuePair<string, IPAddress>>();

        /// <summary>
        /// How far back a live agent log is read. The verdict looks only at events since probing last started, and
        /// the agent restarts probing at each posture assessment, so a day holds that start on any endpoint in use.
        /// </summary>
        public TimeSpan LiveLogLookBack { get; set; } = TimeSpan.FromDays(1);
    }
}
