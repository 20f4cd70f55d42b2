using System;

namespace PostureSync
{
    /// <summary>
    /// One (rule, profile, dACL, PSN address) of the ISE audit: does the dACL that the rule gives Compliant sessions
    /// deny the PSN's state-sync port?
    /// </summary>
    public sealed class IseDaclAudit
    {
        public string? PolicySet { get; set; }

        public string? Rule { get; set; }

        public string? Profile { get; set; }

        public string? Dacl { get; set; }

        public string? PsnName { get; set; }

        public string? PsnAddress { get; set; }

        public int Port { get; set; }

        /// <summary>Pass, Fail, Warn or Unknown.</summary>
        public string Verdict { get; set; } = "Unknown";

        public int? DecidingLine { get; set; }

        public string? DecidingAce { get; set; }

        public string Reason { get; set; } = string.Empty;

        public string[] Findings { get; set; } = Array.Empty<string>();
    }
}
