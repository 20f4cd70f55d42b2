using System;
using System.Collections.Generic;
using PostureSync.Core.Config;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>One ISEPostureCFG.xml, read and judged. Flat, so it survives remoting.</summary>
    public sealed class PostureSyncConfig
    {
        public string Path { get; set; } = string.Empty;

        /// <summary>The DART zip the profile came from, or null for a file on disk.</summary>
        public string? BundlePath { get; set; }

        public string ClientFamily { get; set; } = Core.Platform.ClientFamilies.Unknown;

        public string? ProfileName { get; set; }

        public bool StateSyncEnabled { get; set; }

        /// <summary>Enabled, Disabled or Invalid.</summary>
        public string StateSyncStatus { get; set; } = StateSyncStatuses.Disabled;

        public int? StateSyncProbeInterval { get; set; }

        public string[] StateSyncProbeList { get; set; } = Array.Empty<string>();

        /// <summary>Hosts the agent probes: the probe list, else the discovery host and call-home hosts.</summary>
        public string[] ProbeTargets { get; set; } = Array.Empty<string>();

        public string[] CallHomeList { get; set; } = Array.Empty<string>();

        public string? DiscoveryHost { get; set; }

        public string[] DiscoveryPsnList { get; set; } = Array.Empty<string>();

        public int? NetworkTransitionDelay { get; set; }

        public int? DartCount { get; set; }

        public int? LogFileSize { get; set; }

        public DateTime? LastWriteTime { get; set; }

        /// <summary>Every element of the profile, name to text, in file order.</summary>
        public Dictionary<string, string> Settings { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Each "&lt;ID&gt; &lt;Severity&gt;: &lt;what&gt; &lt;what to do&gt;".</summary>
        public string[] Findings { get; set; } = Array.Empty<string>();
    }
}
