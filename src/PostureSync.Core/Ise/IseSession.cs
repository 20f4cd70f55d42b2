using System;

namespace PostureSync
{
    /// <summary>What ISE's monitoring node believes about one endpoint's session.</summary>
    public sealed class IseSession
    {
        public string MacAddress { get; set; } = string.Empty;

        /// <summary>Compliant, NonCompliant, Pending, Unknown, ... as ISE reports it; empty when the session was not postured.</summary>
        public string PostureStatus { get; set; } = string.Empty;

        /// <summary>The element PostureStatus was read from (posture_status, nac_policy_compliance, other_attr_string), or empty.</summary>
        public string PostureSource { get; set; } = string.Empty;

        public string? EndpointIp { get; set; }

        public string? NasIpAddress { get; set; }

        public string? UserName { get; set; }

        public string[] AuthorizationProfiles { get; set; } = Array.Empty<string>();

        /// <summary>The ISE name of the dACL the session holds: the wire name #ACSACL#-IP-NAME-1a2b3c4d reduced to NAME [inferred].</summary>
        public string? DaclName { get; set; }

        public string? PolicySet { get; set; }

        public string? AuthorizationRule { get; set; }

        /// <summary>The PSN that serves the session.</summary>
        public string? Psn { get; set; }

        public DateTime? StartTime { get; set; }
    }
}
