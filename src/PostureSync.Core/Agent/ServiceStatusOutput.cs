using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace PostureSync.Core.Agent
{
    /// <summary>Reads what systemctl and launchctl say about the VPN agent's service, for the restarter to wait on.</summary>
    internal static class ServiceStatusOutput
    {
        /// <summary>Reads `systemctl show -p LoadState -p ActiveState -p MainPID` (key=value lines).</summary>
        internal static ServiceSnapshot ParseSystemctlShow(string output)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in output.Split('\n'))
            {
                int equals = line.IndexOf('=');
                if (equals > 0)
                {
                    values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
                }
            }

            if (values.TryGetValue("LoadState", out string? load) && load == "not-found")
            {
                return new ServiceSnapshot(AgentStatus.NotLoaded, null);
            }

            values.TryGetValue("ActiveState", out string? active);
            string status = active switch
            {
                "active" or "reloading" => AgentStatus.Running,
                "inactive" => AgentStatus.Stopped,
                "activating" => AgentStatus.StartPending,
                "deactivating" => AgentStatus.StopPending,
                "failed" => AgentStatus.Failed,
                _ => AgentStatus.Unknown,
            };
            return new ServiceSnapshot(status, ProcessIdOrNull(values.TryGetValue("MainPID", out string? pid) ? pid : null));
        }

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
                return new ServiceSnapshot(AgentStatus.NotLoaded, null);
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
                "running" => AgentStatus.Running,
                "not running" or "waiting" or "exited" => AgentStatus.Stopped,
                "spawn scheduled" or "spawning" => AgentStatus.StartPending,
                _ => AgentStatus.Unknown,
            };
            return new ServiceSnapshot(status, ProcessIdOrNull(pid));
        }

        private static int? ProcessIdOrNull(string? text) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }
}
