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

        /// <summary>The PSN's address this verdict is about (one result per resolved address).</summary>
        public string? PsnAddress { get; set; }

        public int Port { get; set; }

        /// <summary>The endpoint the check was made for; null means every source.</summary>
        public string? EndpointAddress { get; set; }

        /// <summary>Pass, Fail, Warn or Unknown (<see cref="DaclVerdicts"/>).</summary>
        public string Verdict { get; set; } = DaclVerdicts.Unknown;

        /// <summary>Deny, Permit, ImplicitDeny or Unknown (<see cref="DaclActions"/>).</summary>
        public string Action { get; set; } = DaclActions.Unknown;

        /// <summary>Line number in the input of the line that decided.</summary>
        public int? DecidingLine { get; set; }

        public string? DecidingAce { get; set; }

        /// <summary>A packet that gets through, e.g. <c>tcp 192.0.2.1:1024 -> 10.1.1.1:8449</c>.</summary>
        public string? CounterExample { get; set; }

        /// <summary>One sentence.</summary>
        public string Reason { get; set; } = string.Empty;

        /// <summary>Lint findings for the whole list, <c>&lt;ID&gt; &lt;Severity&gt;: ...</c>.</summary>
        public string[] Findings { get; set; } = Array.Empty<string>();

        /// <summary>The switch of the session whose list this is (from Get-NadSession); null for a list checked on its own.</summary>
        public string? Device { get; set; }

        /// <summary>The session's interface, when the list was checked for a session.</summary>
        public string? Interface { get; set; }

        public string? MacAddress { get; set; }

        /// <summary>The session's Common Session ID.</summary>
        public string? SessionId { get; set; }

        /// <summary>This result, said of one session that holds the list: each list is evaluated once, whoever holds it.</summary>
        internal DaclTestResult ForSession(SessionDaclRequest session)
        {
            var copy = (DaclTestResult)MemberwiseClone();
            copy.Device = session.Device;
            copy.Interface = session.Interface;
            copy.MacAddress = session.MacAddress;
            copy.SessionId = session.SessionId;
            return copy;
        }
    }
}
