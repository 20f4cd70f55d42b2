using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using PostureSync.Core.Acl;
using PostureSync.Core.Json;

namespace PostureSync.Core.Ise
{
    /// <summary>What the audit covers: the policy sets to walk, or named dACLs with no policy walk.</summary>
    internal sealed class IseAuditRequest
    {
        public IReadOnlyList<string>? PolicySetPatterns { get; set; }

        /// <summary>When set, only these dACLs are checked and policy is not read (accounts that cannot read policy).</summary>
        public IReadOnlyList<string>? DaclNames { get; set; }

        public int Port { get; set; } = PostureSyncRule.SyncPort;

        /// <summary>The PSNs to judge against; null reads them from ISE.</summary>
        public IReadOnlyList<IsePsn>? Psns { get; set; }
    }

    /// <summary>
    /// The ISE-side audit: policy sets, then (global exceptions, local exceptions, rules) whose condition can match a
    /// Compliant session, then their profiles' dACLs, each judged for every PSN address by <see cref="DaclEvaluator"/>.
    /// </summary>
    internal sealed class IseComplianceAudit
    {
        private const string PolicyRoot = "/api/v1/policy/network-access";
        private const string DenyAccess = "DenyAccess";
        private const string MayShadowPrefix = "[may shadow] ";

        private readonly IseReader reader;
        private readonly IseAuditRequest request;
        private readonly Dictionary<string, Task<JsonTree?>> profiles = new Dictionary<string, Task<JsonTree?>>(StringComparer.Ordinal);
        private readonly Dictionary<string, Task<List<IseDacl>>> daclTexts = new Dictionary<string, Task<List<IseDacl>>>(StringComparer.Ordinal);
        private Dictionary<string, string> daclIds = new Dictionary<string, string>(StringComparer.Ordinal);
        private List<PsnTarget> targets = new List<PsnTarget>();

        public IseComplianceAudit(IseReader reader, IseAuditRequest request)
        {
            this.reader = reader;
            this.request = request;
        }

        public async Task<List<IseDaclAudit>> RunAsync()
        {
            IReadOnlyList<IsePsn> psns = request.Psns ?? await IseInventory.GetPsnsAsync(reader).ConfigureAwait(false);
            targets = psns.SelectMany(p => p.IPAddress.Select(a => new PsnTarget(p.Name, IPAddress.Parse(a)))).ToList();
            if (targets.Count == 0)
            {
                throw new PostureSyncException(ErrorIds.IsePsnNotFound, FailureKind.ObjectNotFound,
                    "ISE reports no node with the Session service and an address: there is no PSN to judge the dACLs against.", reader.Client.Options.Server)
                {
                    RecommendedAction = "Check Get-IsePsn; give -PsnAddress to Test-ComplianceDacl with the dACL text instead.",
                };
            }

            daclIds = await IseInventory.GetDaclIdsAsync(reader).ConfigureAwait(false);
            return request.DaclNames != null ? await NamedDaclsAsync(request.DaclNames).ConfigureAwait(false) : await PolicyWalkAsync().ConfigureAwait(false);
        }

        private async Task<List<IseDaclAudit>> NamedDaclsAsync(IReadOnlyList<string> names)
        {
            var rows = new List<IseDaclAudit>();
            foreach (string name in names)
            {
                rows.AddRange(await JudgeDaclAsync(new RuleContext(), null, name, AclFamilies.Both).ConfigureAwait(false));
            }

            return rows;
        }

        private async Task<List<IseDaclAudit>> PolicyWalkAsync()
        {
            JsonTree sets = (await reader.GetJsonAsync(PolicyRoot + "/policy-set", IseApi.OpenApi).ConfigureAwait(false))["response"]
                ?? throw IseErrors.Invalid(PolicyRoot + "/policy-set", "it has no response list");
            List<Regex> patterns = (request.PolicySetPatterns ?? Array.Empty<string>()).Select(IseInventory.Wildcard).ToList();
            var chosen = new List<JsonTree>();
            foreach (JsonTree set in sets.Items.OrderBy(s => s.Int("rank") ?? int.MaxValue))
            {
                string name = set.String("name") ?? string.Empty;
                if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(name)))
                {
                    continue;
                }

                if (string.Equals(set.String("state"), "disabled", StringComparison.OrdinalIgnoreCase))
                {
                    reader.Log?.Invoke("Policy set '" + IseReader.Clip(name, 80) + "' is disabled: skipped.");
                    continue;
                }

                chosen.Add(set);
            }

            // Global exceptions come first in every set (ISE evaluates exceptions before rules) [inferred].
            Task<JsonTree?> global = reader.GetJsonOrNullAsync(PolicyRoot + "/policy-set/global-exception", IseApi.OpenApi);
            var perSet = chosen.Select(set =>
            {
                string id = Uri.EscapeDataString(set.String("id") ?? string.Empty);
                return (Set: set,
                    Exceptions: reader.GetJsonOrNullAsync(PolicyRoot + "/policy-set/" + id + "/exception", IseApi.OpenApi),
                    Rules: reader.GetJsonAsync(PolicyRoot + "/policy-set/" + id + "/authorization", IseApi.OpenApi));
            }).ToList();
            JsonTree? globalBody = await global.ConfigureAwait(false);

            var evaluator = new PostureConditionEvaluator(async id =>
                (await reader.GetJsonOrNullAsync(PolicyRoot + "/condition/" + Uri.EscapeDataString(id), IseApi.OpenApi).ConfigureAwait(false))?["response"]);
            var audited = new List<(RuleContext Rule, ConditionOutcome Outcome)>();
            foreach ((JsonTree set, Task<JsonTree?> exceptions, Task<JsonTree> rules) in perSet)
            {
                var ordered = new List<(string Kind, JsonTree Item)>();
                ordered.AddRange(Ranked(globalBody).Select(i => ("global exception", i)));
                ordered.AddRange(Ranked(await exceptions.ConfigureAwait(false)).Select(i => ("local exception", i)));
                ordered.AddRange(Ranked(await rules.ConfigureAwait(false)).Select(i => ("rule", i)));
                bool setMonitor = string.Equals(set.String("state"), "monitor", StringComparison.OrdinalIgnoreCase);
                bool compliantSeen = false;
                foreach ((string kind, JsonTree item) in ordered)
                {
                    JsonTree rule = item["rule"] ?? item;
                    string ruleName = rule.String("name") ?? string.Empty;
                    string state = rule.String("state") ?? "enabled";
                    if (string.Equals(state, "disabled", StringComparison.OrdinalIgnoreCase))
                    {
                        reader.Log?.Invoke("Rule '" + IseReader.Clip(ruleName, 80) + "' is disabled: skipped.");
                        continue;
                    }

                    ConditionOutcome outcome = await evaluator.EvaluateAsync(rule["condition"]).ConfigureAwait(false);
                    if (outcome.Value == Truth.False)
                    {
                        continue;
                    }

                    var context = new RuleContext
                    {
                        PolicySet = set.String("name"),
                        Rule = ruleName,
                        Kind = kind,
                        Profiles = item["profile"] != null ? item.Strings("profile") : rule.Strings("profile"),
                        Monitor = setMonitor || string.Equals(state, "monitor", StringComparison.OrdinalIgnoreCase),
                    };
                    if (outcome.HasPostureLeaf && outcome.Undecidable.Count == 0)
                    {
                        compliantSeen = true;
                        audited.Add((context, outcome));
                    }
                    else if (outcome.Undecidable.Count > 0)
                    {
                        audited.Add((context, outcome));
                    }
                    else if (!compliantSeen && !rule.Bool("default"))
                    {
                        // No posture leaf, above every Compliant rule: it may catch Compliant sessions first (ISE-API.md §4, step 5).
                        context.MayShadow = true;
                        audited.Add((context, outcome));
                    }
                }
            }

            await PrefetchAsync(audited.Where(a => a.Outcome.Undecidable.Count == 0).SelectMany(a => a.Rule.Profiles)).ConfigureAwait(false);
            var rows = new List<IseDaclAudit>();
            foreach ((RuleContext context, ConditionOutcome outcome) in audited)
            {
                if (outcome.Undecidable.Count > 0)
                {
                    rows.Add(context.Row(Verdicts.Unknown, "Cannot decide whether this " + context.Kind + " matches Compliant sessions: " +
                        string.Join("; ", outcome.Undecidable.Distinct()) + ".", outcome.Notes));
                    continue;
                }

                foreach (string profile in context.Profiles)
                {
                    rows.AddRange(await JudgeProfileAsync(context.With(profile), outcome.Notes).ConfigureAwait(false));
                }
            }

            if (!audited.Any(a => a.Outcome.HasPostureLeaf || a.Outcome.Undecidable.Count > 0))
            {
                rows.Add(new RuleContext().Row(Verdicts.Warn, "No enabled authorization rule in the policy sets read tests Session:PostureStatus, " +
                    "so no rule gives Compliant sessions a dACL of their own.", Array.Empty<string>()));
            }

            return rows;
        }

        private static IEnumerable<JsonTree> Ranked(JsonTree? body) =>
            (body?["response"]?.Items ?? Enumerable.Empty<JsonTree>()).OrderBy(i => (i["rule"] ?? i).Int("rank") ?? int.MaxValue);

        private async Task PrefetchAsync(IEnumerable<string> profileNames)
        {
            List<Task<JsonTree?>> pending = profileNames.Distinct(StringComparer.Ordinal).Select(Profile).ToList();
            await Task.WhenAll(pending).ConfigureAwait(false);
            List<string> daclNames = pending.Select(p => p.Result?["AuthorizationProfile"])
                .Where(p => p != null)
                .SelectMany(p => new[] { p!.String("daclName"), p.String("ipv6DaclName") })
                .Where(n => !string.IsNullOrEmpty(n) && daclIds.ContainsKey(n!))
                .Select(n => n!)
                .ToList();
            await Task.WhenAll(daclNames.Distinct(StringComparer.Ordinal).Select(Dacl)).ConfigureAwait(false);
        }

        private Task<JsonTree?> Profile(string name)
        {
            if (!profiles.TryGetValue(name, out Task<JsonTree?>? pending))
            {
                pending = reader.GetJsonOrNullAsync("/ers/config/authorizationprofile/name/" + Uri.EscapeDataString(name), IseApi.Ers);
                profiles.Add(name, pending);
            }

            return pending;
        }

        private Task<List<IseDacl>> Dacl(string name)
        {
            if (!daclTexts.TryGetValue(name, out Task<List<IseDacl>>? pending))
            {
                pending = IseInventory.GetDaclDetailsAsync(reader, new[] { daclIds[name] });
                daclTexts.Add(name, pending);
            }

            return pending;
        }

        private async Task<List<IseDaclAudit>> JudgeProfileAsync(RuleContext context, IReadOnlyList<string> notes)
        {
            string name = context.Profile ?? string.Empty;
            JsonTree? profile = (await Profile(name).ConfigureAwait(false))?["AuthorizationProfile"];
            if (profile is null)
            {
                return new List<IseDaclAudit>
                {
                    name == DenyAccess
                        ? context.Row(Verdicts.Pass, "DenyAccess rejects the session: no traffic passes.", notes)
                        : context.Row(Verdicts.Fail, "Authorization profile '" + IseReader.Clip(name, 80) + "' does not exist on ISE.", notes),
                };
            }

            if (string.Equals(profile.String("accessType"), "ACCESS_REJECT", StringComparison.OrdinalIgnoreCase))
            {
                return new List<IseDaclAudit> { context.Row(Verdicts.Pass, "The profile rejects access: no traffic passes.", notes) };
            }

            string? v4 = Blank(profile.String("daclName"));
            string? v6 = Blank(profile.String("ipv6DaclName"));
            if (v4 is null && v6 is null)
            {
                string? named = Blank(profile.String("acl")) ?? Blank(profile.String("airespaceACL"));
                return new List<IseDaclAudit>
                {
                    named is null
                        ? context.Row(Verdicts.Fail, "The profile gives Compliant sessions no dACL, so nothing denies the state-sync port.", notes)
                        : context.Row(Verdicts.Warn, "The profile gives no dACL, only the named ACL '" + IseReader.Clip(named, 80) +
                            "' held on the network device; check it with Test-ComplianceDacl on the device's show access-lists output.", notes),
                };
            }

            var rows = new List<IseDaclAudit>();
            AclFamilies covered = AclFamilies.None;
            foreach ((string? dacl, AclFamilies families) in new[] { (v4, AclFamilies.IPv4), (v6, AclFamilies.IPv6) })
            {
                if (dacl != null)
                {
                    (List<IseDaclAudit> judged, AclFamilies judgedFamilies) = await JudgeNamedAsync(context, notes, dacl, families).ConfigureAwait(false);
                    rows.AddRange(judged);
                    covered |= judgedFamilies;
                }
            }

            foreach (PsnTarget target in targets.Where(t => (FamilyOf(t.Address) & covered) == 0))
            {
                rows.Add(Complete(context.With(null), target, Verdicts.Warn,
                    "No dACL of this profile filters " + (FamilyOf(target.Address) == AclFamilies.IPv6 ? "IPv6" : "IPv4") +
                    " traffic, so " + target.Address + " is reachable on port " + request.Port.ToString(CultureInfo.InvariantCulture) + " over it.", notes));
            }

            return rows;
        }

        private async Task<List<IseDaclAudit>> JudgeDaclAsync(RuleContext context, IReadOnlyList<string>? notes, string name, AclFamilies families) =>
            (await JudgeNamedAsync(context, notes ?? Array.Empty<string>(), name, families).ConfigureAwait(false)).Rows;

        /// <summary>
        /// Rows for one named dACL, and the address families it filters (by its daclType, whatever profile slot named
        /// it; <paramref name="slot"/> stands in when the dACL is missing) so the caller can see what no dACL covers.
        /// </summary>
        private async Task<(List<IseDaclAudit> Rows, AclFamilies Families)> JudgeNamedAsync(RuleContext context, IReadOnlyList<string> notes, string name, AclFamilies slot)
        {
            RuleContext withDacl = context.WithDacl(name);
            if (!daclIds.ContainsKey(name))
            {
                return (new List<IseDaclAudit>
                {
                    withDacl.Row(Verdicts.Fail, "dACL '" + IseReader.Clip(name, 80) + "' does not exist on ISE" +
                        (context.Profile is null ? "." : ", yet profile '" + IseReader.Clip(context.Profile, 80) + "' names it: the session gets no dACL."), notes),
                }, slot);
            }

            IseDacl? dacl = (await Dacl(name).ConfigureAwait(false)).FirstOrDefault();
            if (dacl is null)
            {
                return (new List<IseDaclAudit> { withDacl.Row(Verdicts.Fail, "dACL '" + IseReader.Clip(name, 80) + "' was deleted during the audit.", notes) }, slot);
            }

            AclFamilies families = dacl.DaclType.ToUpperInvariant() switch
            {
                "IPV6" => AclFamilies.IPv6,
                "IP_AGNOSTIC" => AclFamilies.Both,
                _ => AclFamilies.IPv4,
            };
            List<PsnTarget> judged = targets.Where(t => (FamilyOf(t.Address) & families) != 0).ToList();
            AclDocument document = AclParser.Parse(dacl.Text, AclInputFormat.Dacl, "ISE dACL " + dacl.Name);
            string[] syntax = document.Errors.Select(e => "DaclSyntaxError Error: " + e.Message).ToArray();
            List<AclList> lists = document.Lists.Where(l => (FamilyOf(l.Family) & families) != 0).ToList();
            var rows = new List<IseDaclAudit>();
            foreach (IGrouping<AclFamilies, PsnTarget> family in judged.GroupBy(t => FamilyOf(t.Address)))
            {
                AclList? list = lists.FirstOrDefault(l => FamilyOf(l.Family) == family.Key);
                if (list is null)
                {
                    rows.AddRange(family.Select(target => Complete(withDacl, target, Verdicts.Fail, "dACL '" + dacl.Name + "' has no " +
                        (family.Key == AclFamilies.IPv6 ? "IPv6" : "IPv4") + " entry, so it denies nothing to " + target.Address + "; add the deny as its first line.",
                        notes.Concat(syntax).Concat(new[] { AceToAdd(target) }).ToArray())));
                    continue;
                }

                // All of the family's PSN addresses at once, so the linter knows every PSN the dACL is meant to cover.
                List<PsnTarget> familyTargets = family.ToList();
                DaclListCheck check = DaclEvaluator.Check(new[] { list }, familyTargets, request.Port, null)[0];
                for (int i = 0; i < check.Results.Count; i++)
                {
                    DaclTestResult result = check.Results[i];
                    var findings = notes.Concat(syntax).Concat(check.Findings).ToList();
                    if (result.Verdict == DaclVerdicts.Fail)
                    {
                        findings.Add(AceToAdd(familyTargets[i]));
                    }

                    IseDaclAudit row = Complete(withDacl, familyTargets[i], result.Verdict, result.Reason, findings.ToArray());
                    row.DecidingLine = result.DecidingLine;
                    row.DecidingAce = result.DecidingAce;
                    rows.Add(row);
                }
            }

            return (rows, families);
        }

        private IseDaclAudit Complete(RuleContext context, PsnTarget target, string verdict, string reason, IReadOnlyList<string> findings)
        {
            IseDaclAudit row = context.Row(verdict, reason, findings);
            row.PsnName = target.Name;
            row.PsnAddress = target.Address.ToString();
            row.Port = request.Port;
            if (context.MayShadow)
            {
                // Not a Compliant rule, so its dACL failing is a risk, not a proven gap.
                row.Verdict = verdict == Verdicts.Fail ? Verdicts.Warn : verdict;
                row.Reason = MayShadowPrefix + "This " + context.Kind + " tests no posture and sits above the Compliant rules, so it may catch Compliant sessions: " + reason;
            }

            return row;
        }

        /// <summary>The ACE that closes the gap: always the address, never the node name (a dACL line takes no names).</summary>
        private string AceToAdd(PsnTarget target) =>
            "AddAce Error: add 'deny tcp any host " + target.Address + " eq " + request.Port.ToString(CultureInfo.InvariantCulture) +
            "' before the first permit, for PSN " + target.Name + ".";

        private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

        private static AclFamilies FamilyOf(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? AclFamilies.IPv6 : AclFamilies.IPv4;

        private static AclFamilies FamilyOf(AclFamily family) => family == AclFamily.IPv6 ? AclFamilies.IPv6 : AclFamilies.IPv4;

        [Flags]
        private enum AclFamilies
        {
            None = 0,
            IPv4 = 1,
            IPv6 = 2,
            Both = 3,
        }

        private static class Verdicts
        {
            public const string Pass = DaclVerdicts.Pass;
            public const string Fail = DaclVerdicts.Fail;
            public const string Warn = DaclVerdicts.Warn;
            public const string Unknown = DaclVerdicts.Unknown;
        }

        /// <summary>Where a row comes from: set, rule, profile, dACL.</summary>
        private sealed class RuleContext
        {
            public string? PolicySet { get; set; }

            public string? Rule { get; set; }

            public string Kind { get; set; } = "rule";

            public string[] Profiles { get; set; } = Array.Empty<string>();

            public string? Profile { get; set; }

            public string? DaclName { get; set; }

            public bool Monitor { get; set; }

            public bool MayShadow { get; set; }

            public RuleContext With(string? profile)
            {
                var copy = (RuleContext)MemberwiseClone();
                if (profile != null)
                {
                    copy.Profile = profile;
                }

                return copy;
            }

            public RuleContext WithDacl(string dacl)
            {
                RuleContext copy = With(null);
                copy.DaclName = dacl;
                return copy;
            }

            public IseDaclAudit Row(string verdict, string reason, IEnumerable<string> findings)
            {
                var all = new List<string>();
                if (Monitor)
                {
                    all.Add("Monitor Warning: the policy set or rule is in monitor mode: ISE evaluates it but does not enforce it.");
                }

                if (Kind != "rule")
                {
                    all.Add("Exception Information: this is a " + Kind + ", evaluated before the ordinary rules [inferred].");
                }

                all.AddRange(findings);
                return new IseDaclAudit
                {
                    PolicySet = PolicySet,
                    Rule = Rule,
                    Profile = Profile,
                    Dacl = DaclName,
                    Verdict = verdict,
                    Reason = reason,
                    Findings = all.Distinct().ToArray(),
                };
            }
        }
    }
}
