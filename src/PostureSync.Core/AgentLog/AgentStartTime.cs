using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using PostureSync.Core.Platform;

namespace PostureSync.Core.AgentLog
{
    /// <summary>
    /// When the posture agent last started, so the live health check reads the log from there: a switch-off that a
    /// restart already cured is not counted. Linux: the newest csc_iseagentd or aciseagentd process in /proc (its
    /// start in clock ticks after boot, plus the boot time in /proc/stat; 100 ticks a second, the Linux default),
    /// read under the system root so tests can give their own. Windows and macOS: the process start time the runtime
    /// reports for csc_iseagent/aciseagent (Windows) or csc_iseagentd/aciseagentd (macOS) [not run on either OS here].
    /// Null when no agent process is seen or its start cannot be read.
    /// </summary>
    internal static class AgentStartTime
    {
        /// <summary>Read when the agent's start is not known: long enough to hold a day of probing, short enough to miss old news.</summary>
        public static readonly TimeSpan FallbackWindow = TimeSpan.FromHours(24);

        private const double LinuxClockTicksPerSecond = 100;

        public static DateTime? Find(AgentLocations locations) => locations.Os == OsPlatformKind.Linux
            ? FromProc(ProcTable.Under(locations.Root))
            : FromProcesses(locations.Os == OsPlatformKind.Windows ? new[] { "csc_iseagent", "aciseagent" } : new[] { "csc_iseagentd", "aciseagentd" });

        /// <summary>The newest start of an agent process listed in a /proc folder, as local time.</summary>
        internal static DateTime? FromProc(string proc)
        {
            long? bootSeconds = BootTime(Path.Combine(proc, "stat"));
            ProcEntry? newest = bootSeconds is null ? null : ProcTable.Newest(proc, "csc_iseagentd", "aciseagentd");
            return newest?.StartTicks is long ticks
                ? DateTimeOffset.FromUnixTimeSeconds(bootSeconds!.Value).LocalDateTime.AddSeconds(ticks / LinuxClockTicksPerSecond)
                : null;
        }

        private static long? BootTime(string procStat)
        {
            try
            {
                foreach (string line in File.ReadAllLines(procStat))
                {
                    if (line.StartsWith("btime ", StringComparison.Ordinal)
                        && long.TryParse(line.Substring(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
                    {
                        return seconds;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }

            return null;
        }

        private static DateTime? FromProcesses(IEnumerable<string> names)
        {
            DateTime? newest = null;
            foreach (string name in names)
            {
                foreach (Process process in Process.GetProcessesByName(name))
                {
                    using (process)
                    {
                        try
                        {
                            DateTime start = process.StartTime;
                            if (newest is null || start > newest)
                            {
                                newest = start;
                            }
                        }
                        catch (Exception ex) when (ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception || ex is NotSupportedException)
                        {
                            // a service process a standard user may not open, or one that just ended
                        }
                    }
                }
            }

            return newest;
        }
    }
}
