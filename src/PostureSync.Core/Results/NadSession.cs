using System;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>
    /// One session from a switch's <c>show access-session … details</c> or <c>show authentication sessions … details</c>
    /// output: which downloaded ACL (dACL) the endpoint's session holds. Fields the output does not show are null.
    /// </summary>
    public sealed class NadSession
    {
        /// <summary>The prompt's host name before the command (<c>Switch1#show …</c>); null when the output has no prompt.</summary>
        public string? Device { get; set; }

        public string? Interface { get; set; }

        /// <summary>As shown, e.g. 0050.56a8.be02.</summary>
        public string? MacAddress { get; set; }

        /// <summary>Null when the switch shows Unknown.</summary>
        public string? IPv4Address { get; set; }

        /// <summary>Every IPv6 address shown (IOS-XE lists the link-local and global ones on following lines).</summary>
        public string[] IPv6Address { get; set; } = Array.Empty<string>();

        public string? UserName { get; set; }

        /// <summary>As shown: Authorized, Unauthorized, Authz Success, Running, …</summary>
        public string? Status { get; set; }

        /// <summary>DATA or VOICE.</summary>
        public string? Domain { get; set; }

        /// <summary>Oper host mode: single-host, multi-auth, multi-domain, multi-host.</summary>
        public string? HostMode { get; set; }

        /// <summary>The Common Session ID, which ISE shows as the session's Audit Session ID.</summary>
        public string? SessionId { get; set; }

        /// <summary>Each authentication method and its state, "dot1x: Authc Success".</summary>
        public string[] Methods { get; set; } = Array.Empty<string>();

        /// <summary>The VLAN the server assigned (Vlan Group / Vlan Policy), as shown.</summary>
        public string? Vlan { get; set; }

        /// <summary>SGT Value / SGT, as shown.</summary>
        public string? Sgt { get; set; }

        /// <summary>Every downloaded ACL the session holds, as the switch names it: xACSACLx-IP-&lt;name&gt;-&lt;8 hex&gt;.</summary>
        public string[] AcsAcl { get; set; } = Array.Empty<string>();

        /// <summary>The dACL's name on ISE: the AcsAcl names without the xACSACLx-IP-/xACSACLx-IPV6- prefix and the version suffix, each once.</summary>
        public string[] DaclName { get; set; } = Array.Empty<string>();

        /// <summary>The 8-hex-digit version suffix of each AcsAcl name (null entries are left out).</summary>
        public string[] DaclVersion { get; set; } = Array.Empty<string>();

        /// <summary>
        /// The first AcsAcl's version suffix read as Unix seconds, in UTC: the time the dACL was last saved on ISE.
        /// [inferred] from public samples, not documented by Cisco.
        /// </summary>
        public DateTime? DaclVersionTime { get; set; }

        /// <summary>The posture redirect ACL; set while the session is still in posture discovery.</summary>
        public string? UrlRedirectAcl { get; set; }

        public string? UrlRedirect { get; set; }

        /// <summary>Lines of the session this reader has no field for, "Key: value", in output order.</summary>
        public string[] OtherFields { get; set; } = Array.Empty<string>();

        /// <summary>"&lt;ID&gt; &lt;Severity&gt;: &lt;what&gt; &lt;what to do&gt;".</summary>
        public string[] Findings { get; set; } = Array.Empty<string>();

        /// <summary>The file, or "-Content".</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>The line of the source where the session starts.</summary>
        public int LineNumber { get; set; }
    }
}
