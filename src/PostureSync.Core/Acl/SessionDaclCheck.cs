using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace PostureSync.Core.Acl
{
    /// <summary>A switch session (Get-NadSession) whose downloaded lists are to be checked, and what names it.</summary>
    internal sealed class SessionDaclRequest
    {
        public SessionDaclRequest(IReadOnlyList<string> aclNames, string? device, string? @interface, string? macAddress, string? sessionId)
        {
            AclNames = aclNames.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            Device = device;
            Interface = @interface;
            MacAddress = macAddress;
            SessionId = sessionId;
        }

        /// <summary>The lists the session holds, as the switch names them (AcsAcl).</summary>
        public IReadOnlyList<string> AclNames { get; }

        public string? Device { get; }

        public string? Interface { get; }

        public string? MacAddress { get; }

        public string? SessionId { get; }

        /// <summary>"Gi1/0/2 0050.5684.2f1e", or the session id when the output showed neither.</summary>
        public string Label
        {
            get
            {
                string label = string.Join(" ", new[] { Interface, MacAddress }.Where(p => !string.IsNullOrEmpty(p)));
                return label.Length > 0 ? label : SessionId ?? "a session";
            }
        }
    }

    /// <summary>A list that sessions on one device hold but the show output does not contain.</summary>
    internal sealed class MissingSessionDacl
    {
        internal MissingSessionDacl(string aclName, string? device, IReadOnlyList<SessionDaclRequest> sessions)
        {
            AclName = aclName;
            Device = device;
            Sessions = sessions;
        }

        public string AclName { get; }

        public string? Device { get; }

        public IReadOnlyList<SessionDaclRequest> Sessions { get; }
    }

    /// <summary>What checking the sessions' lists found.</summary>
    internal sealed class SessionDaclReport
    {
        internal SessionDaclReport(IReadOnlyList<DaclListCheck> checks, IReadOnlyList<DaclTestResult> results, IReadOnlyList<MissingSessionDacl> missing, IReadOnlyList<SessionDaclRequest> withoutDacl)
        {
            Checks = checks;
            Results = results;
            Missing = missing;
            WithoutDacl = withoutDacl;
        }

        /// <summary>Each distinct list once, with its findings.</summary>
        public IReadOnlyList<DaclListCheck> Checks { get; }

        /// <summary>Per session, in session order: one result per list the session holds and PSN.</summary>
        public IReadOnlyList<DaclTestResult> Results { get; }

        public IReadOnlyList<MissingSessionDacl> Missing { get; }

        /// <summary>Sessions that hold no list at all.</summary>
        public IReadOnlyList<SessionDaclRequest> WithoutDacl { get; }
    }

    /// <summary>
    /// Checks exactly the lists switch sessions hold, found in show access-lists output: each distinct list is linted
    /// and evaluated once however many sessions hold it, and its results are then said of each session.
    /// </summary>
    internal static class SessionDaclCheck
    {
        public static SessionDaclReport Check(IReadOnlyList<AclDocument> documents, IReadOnlyList<SessionDaclRequest> sessions, IReadOnlyList<PsnTarget> psns, int port, IPAddress? endpoint)
        {
            var listsByName = new Dictionary<string, List<AclList>>(StringComparer.OrdinalIgnoreCase);
            foreach (string name in sessions.SelectMany(s => s.AclNames))
            {
                if (!listsByName.ContainsKey(name))
                {
                    listsByName[name] = documents.SelectMany(d => AclParser.Select(d, new[] { name }).Lists).Distinct().ToList();
                }
            }

            var checks = new Dictionary<AclList, DaclListCheck>();
            var checkOrder = new List<DaclListCheck>();
            foreach (AclList list in listsByName.Values.SelectMany(l => l).Distinct())
            {
                string[] findings = AclLinter.Lint(list, psns, port).ToArray();
                var check = new DaclListCheck(list, findings, DaclEvaluator.Evaluate(list, psns, port, endpoint, findings));
                checks[list] = check;
                checkOrder.Add(check);
            }

            var results = new List<DaclTestResult>();
            var missing = new List<(string Name, string? Device, SessionDaclRequest Session)>();
            var withoutDacl = new List<SessionDaclRequest>();
            foreach (SessionDaclRequest session in sessions)
            {
                if (session.AclNames.Count == 0)
                {
                    withoutDacl.Add(session);
                    continue;
                }

                missing.AddRange(session.AclNames.Where(n => listsByName[n].Count == 0).Select(n => (n, session.Device, session)));
                List<AclList> held = session.AclNames.SelectMany(n => listsByName[n]).Distinct().ToList();
                foreach (AclList list in held)
                {
                    for (int i = 0; i < psns.Count; i++)
                    {
                        // As DaclEvaluator.Check does for the lists of one input: a PSN is judged by the session's list of its
                        // own family when the session holds one, else by each list (which then says it does not filter it).
                        AclFamily family = DaclEvaluator.FamilyOf(psns[i].Address);
                        if (family == list.Family || !held.Any(l => l.Family == family))
                        {
                            results.Add(checks[list].Results[i].ForSession(session));
                        }
                    }
                }
            }

            List<MissingSessionDacl> missingByDevice = missing
                .GroupBy(m => (Name: m.Name.ToUpperInvariant(), Device: m.Device?.ToUpperInvariant()))
                .Select(g => new MissingSessionDacl(g.First().Name, g.First().Device, g.Select(m => m.Session).ToList()))
                .ToList();
            return new SessionDaclReport(checkOrder, results, missingByDevice, withoutDacl);
        }
    }
}
