using System;
using PostureSync.Core.Dart;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>
    /// One record of the posture agent's log (a DART bundle's AnyConnect_ISEPosture.txt, a syslog file, or the live log) with its state-sync meaning.
    /// Fields the record does not carry (copies are often cut after the function name) are null.
    /// </summary>
    public sealed class DartSyncEvent
    {
        // The log reader hands the thread id and the message over as slices of shared text and the strings are made
        // when first read: most events of a long log are filtered or counted, never looked at.
        private string? threadId;
        private TextSlice threadIdText;
        private string? message;
        private TextSlice messageText;

        /// <summary>The endpoint's local wall-clock time as logged; the log names no zone, so Kind is Unspecified.</summary>
        public DateTime TimeCreated { get; internal set; }

        /// <summary>One of <see cref="DartSyncEventTypes.Names"/>.</summary>
        public string EventType { get; internal set; } = DartSyncEventTypes.Other;

        /// <summary>As logged between brackets: Information, Warning, Error; for a syslog line (no brackets), from the agent's level word.</summary>
        public string Severity { get; internal set; } = string.Empty;

        /// <summary>The logging process, e.g. aciseagent or csc_iseagent; null when the line stops after the severity.</summary>
        public string? Process { get; internal set; }

        /// <summary>As logged, with or without a class: PeriodicProbe::sessionSyncProbe or sessionSyncProbe.</summary>
        public string? Function { get; internal set; }

        /// <summary>As logged, e.g. 0x296C.</summary>
        public string? ThreadId
        {
            get => threadId ?? (threadIdText.IsEmpty ? null : threadId = threadIdText.ToString());
            internal set => (threadId, threadIdText) = (value, default);
        }

        public string? SourceFile { get; internal set; }

        public int? SourceLine { get; internal set; }

        /// <summary>The agent's own level word, e.g. info, debug, error.</summary>
        public string? Level { get; internal set; }

        /// <summary>The text after " :: "; continuation lines are joined with "\n". Empty when the line was cut before it.</summary>
        public string Message
        {
            get => message ??= messageText.ToString();
            internal set => (message, messageText) = (value, default);
        }

        /// <summary>
        /// How many more times the record was logged right after it, as syslog's "last message repeated N times"
        /// says (0 when it does not); a count of probes must add it.
        /// </summary>
        public int RepeatCount { get; internal set; }

        /// <summary>Compliant, NonCompliant, Unknown or Pending, for PostureStatus events whose message names one.</summary>
        public string? PostureStatus { get; internal set; }

        /// <summary><see cref="PostureStatus"/> as the typed value the checks judge by; null when none is named.</summary>
        internal Core.Probing.PostureStatus? PostureStatusValue => PostureStatus switch
        {
            nameof(Core.Probing.PostureStatus.Compliant) => Core.Probing.PostureStatus.Compliant,
            nameof(Core.Probing.PostureStatus.NonCompliant) => Core.Probing.PostureStatus.NonCompliant,
            nameof(Core.Probing.PostureStatus.Pending) => Core.Probing.PostureStatus.Pending,
            nameof(Core.Probing.PostureStatus.Unknown) => Core.Probing.PostureStatus.Unknown,
            _ => null,
        };

        /// <summary>For HttpRequest events whose message holds an http(s) URL.</summary>
        public string? Url { get; internal set; }

        /// <summary>The URL's port, explicit or the scheme's default (443, 80).</summary>
        public int? Port { get; internal set; }

        /// <summary>The log file; for a bundle entry, the zip path, "!/", and the entry's path inside the zip.</summary>
        public string LogPath { get; internal set; } = string.Empty;

        /// <summary>The DART zip the log came from, or null for a plain file.</summary>
        public string? BundlePath { get; internal set; }

        /// <summary>1-based line of the record's first line in its log.</summary>
        public long LineNumber { get; internal set; }

        internal TextSlice ThreadIdText
        {
            set => (threadId, threadIdText) = (null, value);
        }

        internal TextSlice MessageText
        {
            set => (message, messageText) = (null, value);
        }
    }
}
