using System;
using System.Collections.Generic;
using System.Threading;

namespace PostureSync.Core.Health
{
    /// <summary>
    /// The posture agent's own log on the running endpoint (the Windows event log, the macOS unified log, journald or
    /// syslog: LIVE-LOGS.md), as the live health check reads it. Each platform's reader implements this; a test passes
    /// a fake. Without one, the live check says the log was not read and judges the rest.
    /// </summary>
    internal interface ILiveAgentLog
    {
        /// <summary>Where the events come from, for verbose output and findings.</summary>
        string Description { get; }

        /// <summary>
        /// The agent's state-sync events logged at or after <paramref name="since"/> (endpoint wall-clock time), oldest
        /// first. Throws <see cref="PostureSyncException"/> when the log cannot be read; the check then reports that
        /// as the log problem and goes on.
        /// </summary>
        IEnumerable<DartSyncEvent> ReadSince(DateTime since, CancellationToken cancellation);
    }
}
