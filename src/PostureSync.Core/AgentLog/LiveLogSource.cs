using System;
using System.Collections.Generic;
using System.Threading;
using PostureSync.Core.Platform;

namespace PostureSync.Core.AgentLog
{
    /// <summary>
    /// The posture agent's own log where it lives on a running endpoint (LIVE-LOGS.md §0): the Windows event log,
    /// macOS's unified log, Linux's journal or syslog file. A source hands out the records as text lines in a layout
    /// the DART log reader reads (the DART form on Windows, the syslog form elsewhere), so one parser and one
    /// classifier serve bundles and live logs alike.
    /// </summary>
    internal interface ILiveLogSource
    {
        /// <summary>Where the lines come from, for messages and as the events' LogPath (e.g. "journal:csc_iseagentd").</summary>
        string Name { get; }

        /// <summary>
        /// The agent's lines logged at or after <paramref name="since"/> (all the log holds when null), read lazily.
        /// Throws <see cref="PostureSyncException"/> LogNotFound (no such log, or nothing in it), LogUnreadable (no
        /// permission, a tool that failed or did not finish in time) or LogTooLarge; cancelled within a second.
        /// </summary>
        IEnumerable<string> ReadLines(DateTime? since, CancellationToken cancellation);
    }

    /// <summary>How long a live read may take and how much it may read.</summary>
    internal sealed class LiveLogLimits
    {
        /// <summary>How long the live log's tool may run by default, in seconds.</summary>
        public const double DefaultTimeoutSec = 60;

        public static readonly LiveLogLimits Default = new LiveLogLimits(TimeSpan.FromSeconds(DefaultTimeoutSec), 256L * 1024 * 1024);

        public LiveLogLimits(TimeSpan timeout, long maxChars)
        {
            Timeout = timeout;
            MaxChars = maxChars;
        }

        public TimeSpan Timeout { get; }

        /// <summary>Characters of tool output or file text read at most; past it the read stops with LogTooLarge.</summary>
        public long MaxChars { get; }
    }

    /// <summary>The live source of each operating system.</summary>
    internal static class LiveLogSources
    {
        /// <summary>Without a start time, macOS's unified log is read for the last two days, as DART does (LIVE-LOGS.md §2).</summary>
        public static readonly TimeSpan UnifiedLogDefaultWindow = TimeSpan.FromDays(2);

        public static ILiveLogSource ForCurrentSystem(LiveLogLimits limits) => For(AgentLocations.ForCurrentSystem(), new LogTool(OsPlatformDetector.Current), limits);

        internal static ILiveLogSource For(AgentLocations locations, LogTool tools, LiveLogLimits limits) => locations.Os switch
        {
            OsPlatformKind.Windows => new WindowsEventLogSource(tools, limits),
            OsPlatformKind.MacOS => new UnifiedLogSource(tools, limits),
            _ => new JournalSource(tools, limits, locations.SyslogFiles),
        };

        /// <summary>Where each OS's live log comes from, for help and messages.</summary>
        public static string Describe(OsPlatformKind os) => os switch
        {
            OsPlatformKind.Windows => $"the Windows event logs '{WindowsEventLogSource.LogNames[0]}' and '{WindowsEventLogSource.LogNames[1]}' (through wevtutil)",
            OsPlatformKind.MacOS => "the unified log (log show, processes csc_ise* and aciseagent*)",
            _ => "the systemd journal (journalctl -t csc_iseagentd), else /var/log/syslog or /var/log/messages",
        };
    }
}
