using System;
using PostureSync.Core.Agent;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>One agent restart, as done. Flat, so it survives remoting.</summary>
    public sealed class AgentRestartResult
    {
        /// <summary>The posture agent found: csc_iseagent or aciseagent (Windows service), csc_iseagentd or aciseagentd.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>Windows, MacOS or Linux.</summary>
        public string Platform { get; set; } = string.Empty;

        /// <summary>The command run or the service action taken, e.g. "systemctl restart vpnagentd".</summary>
        public string Method { get; set; } = string.Empty;

        /// <summary>The restarted service's state before (on macOS and Linux: vpnagentd, which runs the agent).</summary>
        public string StatusBefore { get; set; } = AgentStatuses.Unknown;

        public string StatusAfter { get; set; } = AgentStatuses.Unknown;

        public int? ProcessIdBefore { get; set; }

        public int? ProcessIdAfter { get; set; }

        /// <summary>When the restart was issued (local time).</summary>
        public DateTime RestartedAt { get; set; }

        /// <summary>From the restart being issued to the service running again.</summary>
        public TimeSpan Duration { get; set; }
    }
}
