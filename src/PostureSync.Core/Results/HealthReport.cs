using System;
using PostureSync.Core.Health;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>One endpoint's (or one DART bundle's) state-sync health. Flat, so it survives remoting.</summary>
    public sealed class HealthReport
    {
        public string Endpoint { get; set; } = string.Empty;

        /// <summary>"Live", or the bundle or folder the report was made from.</summary>
        public string Source { get; set; } = HealthSources.Live;

        public DateTime CheckedAt { get; set; }

        /// <summary>Healthy, Degraded, Unhealthy or Unknown.</summary>
        public string Status { get; set; } = HealthStatuses.Unknown;

        /// <summary>The status as a number that sorts worst first (<see cref="HealthStatuses.Order"/>).</summary>
        public int StatusOrder => HealthStatuses.Order(Status);

        public string PostureStatus { get; set; } = "Unknown";

        /// <summary>From the profile; null when no profile could be read.</summary>
        public bool? StateSyncEnabled { get; set; }

        public string[] ProbeTargets { get; set; } = Array.Empty<string>();

        public int ChecksPassed { get; set; }

        public int ChecksFailed { get; set; }

        /// <summary>True when the agent switched state sync off and only a restart brings it back.</summary>
        public bool NeedsAgentRestart { get; set; }

        /// <summary>Each "&lt;check&gt; &lt;severity&gt;: &lt;what&gt; -&gt; &lt;what to do&gt;".</summary>
        public string[] Findings { get; set; } = Array.Empty<string>();
    }
}
