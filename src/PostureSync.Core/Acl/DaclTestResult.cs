using System;
using System.Net;

namespace PostureSync.Core.Acl
{
    /// <summary>A PSN to check: the name the user gave and one address it resolved to.</summary>
    public sealed class PsnTarget
    {
        public PsnTarget(string name, IPAddress address)
        {
            Name = name;
            Address = address;
        }

        public string Name { get; }

        public IPAddress Address { get; }

        /// <summary>The name, with the address when they differ: <c>psn1 (10.1.1.1)</c>.</summary>
        public string DisplayName => string.Equals(Name, Address.ToString(), StringComparison.OrdinalIgnoreCase) ? Name : Name + " (" + Address + ")";
    }

    /// <summary>The verdict values of <see cref="DaclTestResult.Verdict"/>.</summary>
    public static class DaclVerdict
    {
        public const string Pass = "Pass";
        public const string Fail = "Fail";
        public const string Warn = "Warn";
        public const string Unknown = "Unknown";
    }

    /// <summary>The values of <see cref="DaclTestResult.Action"/>: what happens to the first target packet left.</summary>
    public static class DaclAction
    {
        public const string Deny = "Deny";
        public const string Permit = "Permit";
        public const string ImplicitDeny = "ImplicitDeny";
        public const string Unknown = "Unknown";
    }

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
