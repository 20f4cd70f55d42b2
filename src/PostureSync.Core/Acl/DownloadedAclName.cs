using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// The parts of a downloaded ACL's name as a switch shows it, <c>xACSACLx-IP-&lt;ISE name&gt;-&lt;8 hex&gt;</c>
    /// (<c>xACSACLx-IPV6-…</c> for the IPv6 part; RADIUS writes <c>#ACSACL#-IP-…</c>).
    /// </summary>
    internal sealed class DownloadedAclName
    {
        // ISE names may hold '-' and digits, so the version is only the 8 hex digits after the last '-'.
        private static readonly Regex Shape = new Regex(
            @"^(?:xACSACLx|#ACSACL#)-(?<family>IPV6|IP)-(?<name>.+?)(?:-(?<version>[0-9A-Fa-f]{8}))?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private DownloadedAclName(string shown, string daclName, string? version, bool ipv6)
        {
            Shown = shown;
            DaclName = daclName;
            Version = version;
            IsIpv6 = ipv6;
        }

        public string Shown { get; }

        /// <summary>The dACL's name on ISE.</summary>
        public string DaclName { get; }

        /// <summary>The 8 hex digits after the last '-', or null when the name carries none.</summary>
        public string? Version { get; }

        public bool IsIpv6 { get; }

        /// <summary>
        /// The version read as Unix seconds (UTC). [inferred]: every public sample matches the dACL's last change on ISE
        /// (REALWORLD-NOTES §4); Cisco documents only that the suffix changes with the dACL.
        /// </summary>
        public DateTime? VersionTime => Version is null
            ? (DateTime?)null
            : new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(uint.Parse(Version, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        /// <summary>A name that is not a downloaded ACL's (a local ACL, a Filter-Id) is its own ISE name with no version.</summary>
        public static DownloadedAclName Parse(string shown)
        {
            string name = shown.Trim();
            Match match = Shape.Match(name);
            return match.Success
                ? new DownloadedAclName(name, match.Groups["name"].Value, match.Groups["version"].Success ? match.Groups["version"].Value : null,
                    string.Equals(match.Groups["family"].Value, "IPV6", StringComparison.OrdinalIgnoreCase))
                : new DownloadedAclName(name, name, null, false);
        }

        public override string ToString() => Shown;
    }
}
