using System;
using System.Collections.Generic;
using System.Linq;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Health
{
    /// <summary>Which of the profiles found is the one the agent uses.</summary>
    internal static class ProfileChoice
    {
        /// <summary>
        /// The profile the agent uses when several are found (an upgrade from AnyConnect 4 leaves its profile behind
        /// beside Secure Client 5's, DOMAIN.md §4): Secure Client 5 first, then one whose client cannot be told from its
        /// path, AnyConnect 4 last; among equals the newest, then by path. Null when there is none.
        /// </summary>
        public static PostureSyncConfig? Choose(IEnumerable<PostureSyncConfig> profiles, out IReadOnlyList<PostureSyncConfig> setAside)
        {
            List<PostureSyncConfig> ranked = profiles
                .OrderBy(p => p.ClientFamily == ClientFamilies.SecureClient5 ? 0 : p.ClientFamily == ClientFamilies.AnyConnect4 ? 2 : 1)
                .ThenByDescending(p => p.LastWriteTime ?? DateTime.MinValue)
                .ThenBy(p => p.Path, StringComparer.Ordinal)
                .ToList();
            setAside = ranked.Skip(1).ToList();
            return ranked.FirstOrDefault();
        }

        /// <summary>Chooses among <paramref name="profiles"/> into the evidence, and says which it judges.</summary>
        internal static void Into(HealthEvidence evidence, IEnumerable<PostureSyncConfig> profiles, IOperationReporter reporter)
        {
            evidence.Profile = Choose(profiles, out IReadOnlyList<PostureSyncConfig> setAside);
            evidence.ProfilesSetAside = setAside;
            if (evidence.Profile != null)
            {
                reporter.Verbose($"Profile check: judging {evidence.Profile.Path} ({evidence.Profile.ClientFamily}){(setAside.Count > 0 ? $", {setAside.Count} more set aside" : string.Empty)}.");
            }
            else if (evidence.ProfileProblem != null)
            {
                reporter.Verbose($"Profile check: {evidence.ProfileProblem}");
            }
        }
    }
}
