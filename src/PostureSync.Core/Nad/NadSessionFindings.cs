using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PostureSync.Core.Acl;

namespace PostureSync.Core.Nad
{
    /// <summary>
    /// What a set of sessions says about the dACL step of the tech note: findings "&lt;ID&gt; &lt;Severity&gt;: …" on each
    /// session. NAD001 a posture redirect still applied beside a dACL; NAD002 an older version of a dACL than another
    /// session on the same device holds; NAD003 no ACS ACL where the endpoint is said to be Compliant or NonCompliant.
    /// </summary>
    internal static class NadSessionFindings
    {
        /// <summary>Sets <see cref="NadSession.Findings"/> on every session. <paramref name="postureStatus"/> is what ISE holds, when the admin says.</summary>
        public static void Apply(IReadOnlyList<NadSession> sessions, string? postureStatus)
        {
            var findings = sessions.ToDictionary(s => s, _ => new List<string>());
            bool postureKnown = PostureSyncRule.PortMustBeBlocked(postureStatus);
            foreach (NadSession session in sessions)
            {
                if (session.UrlRedirectAcl != null && session.AcsAcl.Length > 0)
                {
                    findings[session].Add($"NAD001 Warning: the posture redirect (URL Redirect ACL {session.UrlRedirectAcl}) is still applied beside the dACL "
                        + $"{string.Join(", ", session.AcsAcl)}: the session is still in posture discovery, so this dACL is the Unknown/Pending one, not the "
                        + "Compliant one. If ISE shows the endpoint Compliant, its CoA did not reach the switch: check the CoA in ISE's live log and "
                        + "re-authenticate the session.");
                }

                if (postureKnown && session.AcsAcl.Length == 0)
                {
                    findings[session].Add($"NAD003 Error: the session holds no ACS ACL although the endpoint is {postureStatus}: nothing on the switch "
                        + "blocks the state-sync port. Give ISE's " + postureStatus + " authorization profile a dACL that denies TCP to every PSN's "
                        + "sync port first, then re-authenticate the session.");
                }
            }

            AddStaleVersions(sessions, findings);
            foreach (KeyValuePair<NadSession, List<string>> pair in findings)
            {
                pair.Key.Findings = pair.Value.ToArray();
            }
        }

        /// <summary>
        /// Two sessions on one device with different versions of one dACL: the switch caches a downloaded dACL by its
        /// versioned name, so the older one is a copy ISE no longer sends.
        /// </summary>
        private static void AddStaleVersions(IReadOnlyList<NadSession> sessions, Dictionary<NadSession, List<string>> findings)
        {
            var holders = sessions
                .SelectMany(s => s.AcsAcl.Select(DownloadedAclName.Parse).Where(n => n.Version != null).Select(n => (Session: s, Name: n)))
                .GroupBy(h => (Device: (h.Session.Device ?? h.Session.Source).ToUpperInvariant(), h.Name.IsIpv6, Dacl: h.Name.DaclName.ToUpperInvariant()));
            foreach (var group in holders)
            {
                var newest = group.OrderByDescending(h => h.Name.VersionTime).First();
                foreach (var older in group.Where(h => h.Name.VersionTime < newest.Name.VersionTime))
                {
                    findings[older.Session].Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "NAD002 Warning: the session holds {0} (version of {1:yyyy-MM-dd HH:mm:ss} UTC [inferred]) while {2} on the same device holds {3} "
                            + "(version of {4:yyyy-MM-dd HH:mm:ss} UTC): this session's copy of dACL {5} is stale. Re-authenticate it "
                            + "('clear access-session interface {6}') so the switch downloads the current version.",
                        older.Name.Shown, older.Name.VersionTime, Describe(newest.Session), newest.Name.Shown, newest.Name.VersionTime, older.Name.DaclName,
                        older.Session.Interface ?? "<interface>"));
                }
            }
        }

        private static string Describe(NadSession session) =>
            string.Join(" ", new[] { session.Interface, session.MacAddress }.Where(p => p != null)) is string name && name.Length > 0 ? "session " + name : "another session";
    }
}
