using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using PostureSync.Core.Net;

namespace PostureSync.Core.Acl
{
    /// <summary>One dACL to check: text the user passed, or a file to read.</summary>
    internal sealed class DaclInput
    {
        private DaclInput(string source, string? text, string? daclName = null)
        {
            Source = source;
            Text = text;
            DaclName = daclName;
        }

        /// <summary>The file, or how the text was given (e.g. <c>-Content</c>); names the list in results and errors.</summary>
        public string Source { get; }

        /// <summary>Null for a file, which is read (bounded) when the check comes to it.</summary>
        public string? Text { get; }

        /// <summary>The ISE name of the dACL whose text this is; results carry it as their AclName.</summary>
        public string? DaclName { get; }

        public static DaclInput FromText(string source, string text) => new DaclInput(source, text);

        public static DaclInput FromFile(string path) => new DaclInput(path, null);

        /// <summary>dACL text that ISE holds under <paramref name="daclName"/> (from Get-IseDacl, ISE itself, or an ERS export).</summary>
        public static DaclInput FromNamedText(string source, string daclName, string text) => new DaclInput(source, text, daclName);
    }

    /// <summary>What Test-ComplianceDacl asks: the PSNs and port to prove blocked, and which lists to look at.</summary>
    internal sealed class ComplianceDaclRequest
    {
        /// <summary>Names, addresses, host:port or [v6]:port; the port part is dropped.</summary>
        public IReadOnlyList<string> PsnEntries { get; set; } = Array.Empty<string>();

        public int Port { get; set; } = PostureSyncRule.SyncPort;

        public AclInputFormat InputFormat { get; set; } = AclInputFormat.Auto;

        /// <summary>List names (wildcards allowed); null checks every IP and IPv6 list.</summary>
        public IReadOnlyList<string>? AclNames { get; set; }

        /// <summary>The endpoint's address, to judge lists that name sources; null for any endpoint.</summary>
        public string? EndpointAddress { get; set; }

        /// <summary>Switch sessions (Get-NadSession): when there are any, exactly the lists they hold are checked, per session.</summary>
        public IReadOnlyList<SessionDaclRequest> Sessions { get; set; } = Array.Empty<SessionDaclRequest>();

        /// <summary>Every finding to the verbose stream, none as a warning (-Quiet: the answer is all that is printed).</summary>
        public bool Quiet { get; set; }
    }

    /// <summary>The results of one check, and whether anything could not be checked.</summary>
    internal sealed class ComplianceDaclOutcome
    {
        internal ComplianceDaclOutcome(IReadOnlyList<DaclTestResult> results, bool complete)
        {
            Results = results;
            Complete = complete;
        }

        public IReadOnlyList<DaclTestResult> Results { get; }

        /// <summary>False when a PSN, a file or a named list could not be checked.</summary>
        public bool Complete { get; }

        /// <summary>Everything was checked, something was, and every verdict is Pass: the -Quiet answer.</summary>
        public bool AllPass => Complete && Results.Count > 0 && Results.All(r => r.Verdict == DaclVerdicts.Pass);
    }

    /// <summary>
    /// Proves that each dACL denies TCP to every PSN's sync port before anything permits it (DOMAIN.md §6): reads and
    /// parses each input, selects the lists, resolves the PSNs once, evaluates. Each problem with one input, list or
    /// PSN goes to the reporter and the check goes on; linter findings are warnings, at most
    /// <see cref="MaxWarningsPerList"/> per list (all stay in each result's Findings).
    /// </summary>
    internal sealed class ComplianceDaclCheck
    {
        /// <summary>Warnings written per list; the rest stay in the Findings property.</summary>
        public const int MaxWarningsPerList = 20;

        /// <summary>How long one PSN name may take to resolve.</summary>
        public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

        private readonly ComplianceDaclRequest request;
        private readonly IHostResolver? resolver;
        private readonly IOperationReporter reporter;

        /// <param name="resolver">Resolves PSN names; null for DNS or the environment's hosts file
        /// (<see cref="HostResolvers.FromEnvironment"/>), loaded only once the arguments are known to be usable.</param>
        public ComplianceDaclCheck(ComplianceDaclRequest request, IHostResolver? resolver, IOperationReporter reporter)
        {
            this.request = request;
            this.resolver = resolver;
            this.reporter = reporter;
        }

        /// <summary>
        /// Checks every input. Throws <see cref="PostureSyncException"/> before reading anything when the request
        /// cannot be checked at all (EndpointAddressInvalid, PsnAddressMissing, HostsFileUnreadable).
        /// </summary>
        public ComplianceDaclOutcome Run(IEnumerable<DaclInput> inputs)
        {
            IPAddress? endpoint = ParseEndpoint(request.EndpointAddress);
            bool complete = true;
            List<PsnTarget> psns = ResolvePsns(() => complete = false);
            var results = new List<DaclTestResult>();
            if (request.Sessions.Count > 0)
            {
                List<AclDocument> parsed = SessionDocuments(inputs, () => complete = false).ToList();
                complete &= CheckSessions(parsed, psns, endpoint, results);
                return new ComplianceDaclOutcome(results, complete);
            }

            foreach (DaclInput given in inputs)
            {
                List<DaclInput>? documents = Expand(given);
                if (documents is null)
                {
                    complete = false;
                    continue;
                }

                foreach (DaclInput input in documents)
                {
                    string text = input.Text!;
                    AclDocument document = AclParser.Parse(text, request.InputFormat, input.Source);
                    ReportSyntaxErrors(document);
                    if (document.Lists.Count == 0)
                    {
                        // Empty or binary input already has its error; show output with only MAC or role-based lists does not.
                        complete = false;
                        if (document.Errors.Count == 0)
                        {
                            reporter.Failure(new PostureSyncException(ErrorIds.DaclListNotFound, FailureKind.ObjectNotFound,
                                $"{input.Source}: no IP or IPv6 access list found.", input.Source)
                            {
                                RecommendedAction = "Pass the dACL text, the RADIUS av-pairs, or 'show ip access-lists' / 'show ipv6 access-list' output.",
                            });
                        }

                        continue;
                    }

                    AclSelection selection = AclParser.Select(document, request.AclNames);
                    complete &= selection.UnmatchedNames.Count == 0;
                    foreach (string name in selection.UnmatchedNames)
                    {
                        reporter.Failure(new PostureSyncException(ErrorIds.DaclListNotFound, FailureKind.ObjectNotFound,
                            $"{input.Source}: no access list matches '{name}' (lists: {string.Join(", ", document.Lists.Select(l => l.Name))}).", name)
                        {
                            RecommendedAction = "Check the list name given to -AclName; wildcards are allowed.",
                        });
                    }

                    if (psns.Count == 0)
                    {
                        continue;
                    }

                    foreach (DaclListCheck check in DaclEvaluator.Check(selection.Lists, psns, request.Port, endpoint))
                    {
                        ReportFindings(check);
                        foreach (DaclTestResult result in check.Results)
                        {
                            result.AclName = input.DaclName is null || document.Format != AclInputFormat.Dacl ? result.AclName
                                : document.Lists.Count > 1 && check.List.Family == AclFamily.IPv6 ? input.DaclName + " (IPv6)" : input.DaclName;
                        }

                        results.AddRange(check.Results);
                    }
                }
            }

            return new ComplianceDaclOutcome(results, complete);
        }

        /// <summary>The show output to find the sessions' lists in, parsed; an input with no list is reported and makes the check incomplete.</summary>
        private IEnumerable<AclDocument> SessionDocuments(IEnumerable<DaclInput> inputs, Action incomplete)
        {
            foreach (DaclInput input in inputs.SelectMany(given => Expand(given) ?? Incomplete(incomplete)))
            {
                AclDocument document = AclParser.Parse(input.Text!, request.InputFormat, input.Source);
                ReportSyntaxErrors(document);
                if (document.Lists.Count == 0)
                {
                    incomplete();
                    if (document.Errors.Count == 0)
                    {
                        reporter.Failure(new PostureSyncException(ErrorIds.DaclListNotFound, FailureKind.ObjectNotFound,
                            $"{input.Source}: no IP or IPv6 access list found.", input.Source)
                        {
                            RecommendedAction = "Pass the 'show access-lists' output of the switch the sessions are on.",
                        });
                    }

                    continue;
                }

                yield return document;
            }
        }

        private static List<DaclInput> Incomplete(Action incomplete)
        {
            incomplete();
            return new List<DaclInput>();
        }

        /// <summary>
        /// Exactly the lists the sessions hold, each evaluated once, the results said of each session; a list missing
        /// from the output (DaclNotInOutput) and a session with no list (NadSessionHasNoDacl) are reported. False when
        /// anything could not be checked.
        /// </summary>
        private bool CheckSessions(IReadOnlyList<AclDocument> documents, IReadOnlyList<PsnTarget> psns, IPAddress? endpoint, List<DaclTestResult> results)
        {
            SessionDaclReport report = SessionDaclCheck.Check(documents, request.Sessions, psns, request.Port, endpoint);
            foreach (DaclListCheck check in report.Checks)
            {
                ReportFindings(check);
            }

            results.AddRange(report.Results);
            string shown = documents.Count > 0 ? string.Join(", ", documents.Select(d => d.Source)) : "the show output";
            foreach (MissingSessionDacl missing in report.Missing)
            {
                string device = missing.Device ?? "the switch";
                string holders = missing.Sessions.Count == 1
                    ? "session " + missing.Sessions[0].Label
                    : string.Format(CultureInfo.InvariantCulture, "{0} sessions ({1}{2})", missing.Sessions.Count,
                        string.Join(", ", missing.Sessions.Take(5).Select(x => x.Label)), missing.Sessions.Count > 5 ? ", ..." : string.Empty);
                reporter.Failure(new PostureSyncException(ErrorIds.DaclNotInOutput, FailureKind.ObjectNotFound,
                    $"{missing.AclName}, held by {holders} on {device}, is not in {shown}.", missing.AclName)
                {
                    RecommendedAction = $"Run `show access-lists | section {missing.AclName}` on {device} and pass its output with -Path.",
                });
            }

            foreach (SessionDaclRequest session in report.WithoutDacl)
            {
                reporter.Failure(new PostureSyncException(ErrorIds.NadSessionHasNoDacl, FailureKind.ObjectNotFound,
                    $"Session {session.Label} on {session.Device ?? "the switch"} holds no ACS ACL: no dACL blocks the state-sync port for that endpoint.",
                    session.SessionId ?? session.Label)
                {
                    RecommendedAction = "If the endpoint is Compliant, give ISE's Compliant authorization profile a dACL that denies TCP to every PSN's "
                        + "sync port first, then re-authenticate the session; if it is still in posture, check again once it is Compliant.",
                });
            }

            return report.Missing.Count == 0 && report.WithoutDacl.Count == 0;
        }

        private static IPAddress? ParseEndpoint(string? text)
        {
            if (text is null)
            {
                return null;
            }

            if (!IPAddress.TryParse(text.Trim('[', ']'), out IPAddress? address))
            {
                throw new PostureSyncException(ErrorIds.EndpointAddressInvalid, FailureKind.InvalidArgument,
                    $"-EndpointAddress '{text}' is not an IPv4 or IPv6 address.", text)
                {
                    RecommendedAction = "Give the endpoint's IP address, e.g. 192.168.1.10.",
                };
            }

            return address;
        }

        private List<PsnTarget> ResolvePsns(Action incomplete)
        {
            if (request.PsnEntries.Count == 0)
            {
                throw new PostureSyncException(ErrorIds.PsnAddressMissing, FailureKind.InvalidArgument,
                    "No PSN to check: give -PsnAddress, or pipe Get-PostureSyncConfig so its ProbeTargets bind.", null)
                {
                    RecommendedAction = "Add -PsnAddress psn1.example.com,psn2.example.com.",
                };
            }

            IHostResolver names = resolver ?? HostResolvers.FromEnvironment();
            try
            {
                List<PsnTarget> targets = PsnTargets.Resolve(request.PsnEntries, names, ResolveTimeout, reporter.Cancellation, failure =>
                {
                    incomplete();
                    reporter.Failure(failure);
                });
                foreach (PsnTarget target in targets)
                {
                    reporter.Verbose($"PSN {target.Name} -> {target.Address}");
                }

                return targets;
            }
            catch (OperationCanceledException)
            {
                return new List<PsnTarget>();
            }
        }

        /// <summary>
        /// The documents of one input: its text, or, for a file holding a saved ERS export (JSON), one named document per
        /// dACL in it. Null when the file could not be read or the export is not usable (reported).
        /// </summary>
        private List<DaclInput>? Expand(DaclInput input)
        {
            // A file is sniffed as it is read (AclFile); text given directly is sniffed here.
            if (input.Text != null && !IsAclText(input.Text, input.Source))
            {
                return null;
            }

            string? text = input.Text ?? ReadFile(input.Source);
            if (text is null)
            {
                return null;
            }

            if (input.Text != null || !Ise.ErsDaclExport.LooksLikeJson(text))
            {
                return new List<DaclInput> { input.Text != null ? input : DaclInput.FromText(input.Source, text) };
            }

            try
            {
                return Ise.ErsDaclExport.Read(text, input.Source).Select(d => DaclInput.FromNamedText(input.Source, d.Name, d.Text)).ToList();
            }
            catch (PostureSyncException ex)
            {
                reporter.Failure(ex);
                return null;
            }
        }

        private string? ReadFile(string file)
        {
            try
            {
                return AclFile.Read(file);
            }
            catch (PostureSyncException ex)
            {
                reporter.Failure(ex);
                return null;
            }
        }

        private void ReportSyntaxErrors(AclDocument document)
        {
            // Sections skipped on purpose (MAC lists): one verbose notice each, since nothing is wrong with them.
            foreach (string notice in document.Notices)
            {
                reporter.Verbose(document.Source + ": " + notice);
            }

            foreach (AclSyntaxError error in document.Errors)
            {
                reporter.Failure(new PostureSyncException(ErrorIds.DaclSyntaxError, FailureKind.InvalidData, document.Source + ": " + error.Message, document.Source)
                {
                    RecommendedAction = error.Hint ?? $"Fix line {error.Line} at column {error.Column}: {error.Expected}.",
                });
            }

            if (document.ErrorsOmitted > 0)
            {
                reporter.Failure(new PostureSyncException(ErrorIds.DaclSyntaxError, FailureKind.InvalidData,
                    string.Format(CultureInfo.InvariantCulture, "{0}: {1} further syntax errors were not reported.", document.Source, document.ErrorsOmitted), document.Source)
                {
                    RecommendedAction = "Check that the input is an ACL (dACL text, av-pairs or show access-lists output).",
                });
            }
        }

        private bool IsAclText(string text, string source)
        {
            try
            {
                AclTextKind.Refuse(text, source);
                return true;
            }
            catch (PostureSyncException ex)
            {
                reporter.Failure(ex);
                return false;
            }
        }

        /// <summary>
        /// Warnings and errors are warnings (worst first, a few per list); information goes to the verbose stream, and
        /// with <see cref="ComplianceDaclRequest.Quiet"/> everything does.
        /// </summary>
        private void ReportFindings(DaclListCheck check)
        {
            string prefix = check.List.Name + " (" + check.List.Source + "): ";
            var warnings = new List<string>();
            foreach (string finding in check.Findings)
            {
                if (request.Quiet || FindingSeverities.IsInformation(finding))
                {
                    reporter.Verbose(prefix + finding);
                }
                else
                {
                    warnings.Add(finding);
                }
            }

            foreach (string finding in warnings.Take(MaxWarningsPerList))
            {
                reporter.Warning(prefix + finding);
            }

            if (warnings.Count > MaxWarningsPerList)
            {
                reporter.Warning(prefix + (warnings.Count - MaxWarningsPerList).ToString(CultureInfo.InvariantCulture) + " more findings: see the Findings property.");
            }
        }
    }
}
