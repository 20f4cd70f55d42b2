using System;
using System.Text.RegularExpressions;

namespace PostureSync.Core.Agent
{
    /// <summary>Reads what launchctl says about the VPN agent's service, for the macOS restart to wait on.</summary>
    internal static class ServiceStatusOutput
    {
        private static readonly Regex LaunchdTopLevelField = new Regex(@"^\t(state|pid) = (.+?)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads `launchctl print system/&lt;label&gt;`: the service's own "state = running" and "pid = N" lines sit one tab
        /// deep (nested sections are deeper). The output is meant for people, not a stable API [inferred], so anything
        /// unexpected reads as Unknown rather than failing the restart.
        /// </summary>
        internal static ServiceSnapshot ParseLaunchctlPrint(ToolResult print)
        {
            if (print.ExitCode != 0)
            {
                // 113: "Could not find service ... in domain for system".
                return new ServiceSnapshot(AgentStatuses.NotLoaded, null);
            }

            string? state = null;
            string? pid = null;
            foreach (Match field in LaunchdTopLevelField.Matches(print.Output.Replace("\r\n", "\n")))
            {
                if (field.Groups[1].Value == "state")
                {
                    state ??= field.Groups[2].Value;
                }
                else
                {
                    pid ??= field.Groups[2].Value;
                }
            }

            string status = state switch
            {
                "running" => AgentStatuses.Running,
                "not running" or "waiting" or "exited" => AgentStatuses.Stopped,
                "spawn scheduled" or "spawning" => AgentStatuses.StartPending,
                _ => AgentStatuses.Unknown,
            };
            return new ServiceSnapshot(status, ProcessIdOrNull(pid));
        }

        private static int? ProcessIdOrNull(string? text) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }
}
