using System;
using PostureSync.Core.Acl;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>Whether one list blocks the state-sync port of one PSN. Flat, for PowerShell.</summary>
    public sealed class DaclTestResult
    {
        public string AclName { get; set; } = string.Empty;

        /// <summary>The file, or "-Content".</summary>
        public string Source { get; set; } = string.Empty;

        public string InputFormat { get; set; } = string.Empty;

        public string Psn { get; set; } = string.Empty;

        public int Port { get; set; }

        /// <summary>The endpoint the check was made for; null means every source.</summary>
        public string? EndpointAddress { get; set; }

        /// <summary>Pass, Fail, Warn or Unknown (<see cref="DaclVerdict"/>).</summary>
        public string Verdict { get; set; } = DaclVerdict.Unknown;

        /// <summary>Deny, Permit, ImplicitDeny or Unknown (<see cref="DaclAction"/>).</summary>
        public string Action { get; set; } = DaclAction.Unknown;

        /// <summary>Line number in the input of the line that decided.</summary>
        public int? DecidingLine { get; set; }

        public string? DecidingAce { get; set; }

        /// <summary>A packet that gets through, e.g. <c>tcp 192.0.2.1:1024 -> 10.1.1.1:8449</c>.</summary>
        public string? CounterExample { get; set; }

        /// <summary>One sentence.</summary>
        public string Reason { get; set; } = string.Empty;

        /// <summary>Lint findings for the whole list, <c>&lt;ID&gt; &lt;Severity&gt;: ...</c>.</summary>
        public string[] Findings { get; set; } = Array.Empty<string>();
    }
}
