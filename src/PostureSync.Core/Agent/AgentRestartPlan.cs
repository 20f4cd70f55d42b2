using System.Collections.Generic;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Agent
{
    /// <summary>What a restart would do on this endpoint, found before anything is touched (what -WhatIf shows).</summary>
    internal sealed class AgentRestartPlan
    {
        internal AgentRestartPlan(string name, string family, OsPlatformKind platform, string method, string? toolPath, IReadOnlyList<string> arguments, string serviceName, bool dropsVpnTunnel)
        {
            Name = name;
            Family = family;
            Platform = platform;
            Method = method;
            ToolPath = toolPath;
            Arguments = arguments;
            ServiceName = serviceName;
            DropsVpnTunnel = dropsVpnTunnel;
        }

        /// <summary>The posture agent found (csc_iseagent, aciseagent, csc_iseagentd or aciseagentd).</summary>
        public string Name { get; }

        /// <summary>SecureClient5 or AnyConnect4.</summary>
        public string Family { get; }

        public OsPlatformKind Platform { get; }

        /// <summary>The exact command (macOS, Linux) or service action (Windows).</summary>
        public string Method { get; }

        /// <summary>The full path of systemctl or launchctl as found on PATH; null on Windows.</summary>
        public string? ToolPath { get; }

        /// <summary>The tool's arguments, e.g. restart vpnagentd; empty on Windows.</summary>
        public IReadOnlyList<string> Arguments { get; }

        /// <summary>The service restarted: the agent's own on Windows, the VPN agent (vpnagentd) on macOS and Linux.</summary>
        public string ServiceName { get; }

        /// <summary>True on macOS and Linux: restarting vpnagentd drops any VPN tunnel.</summary>
        public bool DropsVpnTunnel { get; }

        /// <summary>One sentence for confirmation prompts and -WhatIf.</summary>
        public string Description => DropsVpnTunnel
            ? $"Restart the posture agent {Name} by restarting the VPN agent ({Method}, run as {ToolPath}). This DROPS any VPN tunnel on this endpoint; it comes back when the user or the client reconnects."
            : $"Restart the posture agent service {Name} ({Method}).";
    }
}
