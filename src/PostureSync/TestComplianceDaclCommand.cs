using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using PostureSync.Core;
using PostureSync.Core.Acl;
using PostureSync.Core.Dart;
using PostureSync.Core.Net;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>Proves that a dACL denies TCP to every PSN's state-sync port before anything permits it.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "ComplianceDacl", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(DaclTestResult), typeof(bool))]
    public sealed class TestComplianceDaclCommand : PostureSyncCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ContentSet = "Content";
        private const string ContentSource = "-Content";

        /// <summary>Warnings written per list; the rest stay in the Findings property.</summary>
        private const int MaxWarningsPerList = 20;

        private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

        private readonly List<string> files = new List<string>();

        /// <summary>-Content documents: each whole text (a string with line breaks) is one, and a run of single lines is one.</summary>
        private readonly List<string> contentTexts = new List<string>();
        private readonly StringBuilder pendingLines = new StringBuilder();
        private readonly List<string> psnEntries = new List<string>();
        private bool sawContent;
        private bool hasPendingLines;

        /// <summary>Something could not be checked (a PSN, a file, a list): -Quiet then cannot say every result is Pass.</summary>
        private bool incomplete;

        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        [Parameter(ParameterSetName = ContentSet, Mandatory = true, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[]? Content { get; set; }

        [Parameter]
        public AclInputFormat InputFormat { get; set; } = AclInputFormat.Auto;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? AclName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ProbeTargets")]
        [ValidateNotNull]
        public string[]? PsnAddress { get; set; }

        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = DaclEvaluator.DefaultPort;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EndpointAddress { get; set; }

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            if (PsnAddress != null)
            {
                psnEntries.AddRange(PsnAddress.Where(p => !string.IsNullOrWhiteSpace(p) && !psnEntries.Contains(p, StringComparer.OrdinalIgnoreCase)));
            }

            switch (ParameterSetName)
            {
                case ContentSet:
                    sawContent = true;
                    foreach (string? text in Content ?? Array.Empty<string>())
                    {
                        AddContent(text ?? string.Empty);
                    }

                    break;
                default:
                    bool literal = ParameterSetName == LiteralPathSet;
                    foreach (string path in (literal ? LiteralPath : Path) ?? Array.Empty<string>())
                    {
                        bool any = false;
                        foreach (string file in ResolveInputPaths(new[] { path }, literal))
                        {
                            any = true;
                            if (!files.Contains(file))
                            {
                                files.Add(file);
                            }
                        }

                        incomplete |= !any && !string.IsNullOrWhiteSpace(path);
                    }

                    break;
            }
        }

        protected override void EndProcessing()
        {
            IPAddress? endpoint = ParseEndpoint();
            List<PsnTarget> psns = ResolvePsns();
            var results = new List<DaclTestResult>();
            foreach ((string source, string? text) in Sources())
            {
                // Files were sniffed as they were read (AclFile); -Content is sniffed here.
                if (text is null || (source == ContentSource && !IsAclText(text, source)))
                {
                    incomplete = true;
                    continue;
                }

                AclDocument document = AclParser.Parse(text, InputFormat, source);
                WriteSyntaxErrors(document);
                if (document.Lists.Count == 0)
                {
                    // Empty or binary input already has its error; show output with only MAC or role-based lists does not.
                    incomplete = true;
                    if (document.Errors.Count == 0)
                    {
                        WriteFailure(new PostureSyncException("DaclListNotFound", FailureKind.ObjectNotFound,
                            $"{source}: no IP or IPv6 access list found.", source)
                        {
                            RecommendedAction = "Pass the dACL text, the RADIUS av-pairs, or 'show ip access-lists' / 'show ipv6 access-list' output.",
                        });
                    }

                    continue;
                }

                AclSelection selection = AclParser.Select(document, AclName);
                incomplete |= selection.UnmatchedNames.Count > 0;
                foreach (string name in selection.UnmatchedNames)
                {
                    WriteFailure(new PostureSyncException("DaclListNotFound", FailureKind.ObjectNotFound,
                        $"{source}: no access list matches '{name}' (lists: {string.Join(", ", document.Lists.Select(l => l.Name))}).", name)
                    {
                        RecommendedAction = "Check the list name given to -AclName; wildcards are allowed.",
                    });
                }

                if (psns.Count == 0)
                {
                    continue;
                }

                foreach (DaclListCheck check in DaclEvaluator.Check(selection.Lists, psns, Port, endpoint))
                {
                    WriteFindings(check);
                    results.AddRange(check.Results);
                }
            }

            if (Quiet)
            {
                WriteObject(!incomplete && results.Count > 0 && results.TrueForAll(r => r.Verdict == DaclVerdict.Pass));
                return;
            }

            foreach (DaclTestResult result in results)
            {
                WriteObject(result);
            }
        }

        private IEnumerable<(string Source, string? Text)> Sources()
        {
            TakeLoneLineAsFile();
            FlushPendingLines();
            if (sawContent && contentTexts.Count == 0)
            {
                contentTexts.Add(string.Empty);
            }

            foreach (string text in contentTexts)
            {
                yield return (ContentSource, text);
            }

            foreach (string file in files)
            {
                yield return (file, ReadFile(file));
            }
        }

        private void AddContent(string text)
        {
            if (text.IndexOf('\n') >= 0 || text.IndexOf('\r') >= 0)
            {
                // A whole text (Get-Content -Raw): its own list, never run together with the next text.
                FlushPendingLines();
                contentTexts.Add(text);
                return;
            }

            pendingLines.Append(text).Append('\n');
            hasPendingLines = true;
        }

        /// <summary>
        /// A single string piped in that names an existing file ("dacl.txt" | Test-ComplianceDacl) means the file:
        /// no one-line ACL is a file path, and checking the path as ACL text would only give a syntax error.
        /// </summary>
        private void TakeLoneLineAsFile()
        {
            string lone = pendingLines.ToString().TrimEnd('\n');
            if (!hasPendingLines || contentTexts.Count > 0 || lone.Length == 0 || lone.IndexOf('\n') >= 0)
            {
                return;
            }

            string file;
            try
            {
                file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(lone.Trim());
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is NotSupportedException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ArgumentException)
            {
                return;
            }

            if (File.Exists(file))
            {
                WriteVerbose($"The string given as -Content names the file '{file}': reading the file (pass files with -Path).");
                pendingLines.Clear();
                hasPendingLines = false;
                sawContent = false;
                files.Add(file);
            }
        }

        private void FlushPendingLines()
        {
            if (hasPendingLines)
            {
                contentTexts.Add(pendingLines.ToString());
                pendingLines.Clear();
                hasPendingLines = false;
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
                WriteFailure(ex);
                return false;
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
                WriteFailure(ex);
                return null;
            }
        }

        private IPAddress? ParseEndpoint()
        {
            if (EndpointAddress is null)
            {
                return null;
            }

            if (!IPAddress.TryParse(EndpointAddress.Trim('[', ']'), out IPAddress? address))
            {
                ThrowFailure(new PostureSyncException("EndpointAddressInvalid", FailureKind.InvalidArgument,
                    $"-EndpointAddress '{EndpointAddress}' is not an IPv4 or IPv6 address.", EndpointAddress)
                {
                    RecommendedAction = "Give the endpoint's IP address, e.g. 192.168.1.10.",
                });
            }

            return address;
        }

        private List<PsnTarget> ResolvePsns()
        {
            if (psnEntries.Count == 0)
            {
                ThrowFailure(new PostureSyncException("PsnAddressMissing", FailureKind.InvalidArgument,
                    "No PSN to check: give -PsnAddress, or pipe Get-PostureSyncConfig so its ProbeTargets bind.", null)
                {
                    RecommendedAction = "Add -PsnAddress psn1.example.com,psn2.example.com.",
                });
            }

            IHostResolver? resolver = null;
            try
            {
                resolver = ResolverFromEnvironment();
            }
            catch (PostureSyncException ex)
            {
                ThrowFailure(ex);
            }

            try
            {
                List<PsnTarget> targets = PsnTargets.Resolve(psnEntries, resolver!, ResolveTimeout, Cancellation, failure =>
                {
                    incomplete = true;
                    WriteFailure(failure);
                });
                foreach (PsnTarget target in targets)
                {
                    WriteVerbose($"PSN {target.Name} -> {target.Address}");
                }

                return targets;
            }
            catch (OperationCanceledException)
            {
                return new List<PsnTarget>();
            }
        }

        private void WriteSyntaxErrors(AclDocument document)
        {
            foreach (AclSyntaxError error in document.Errors)
            {
                WriteFailure(new PostureSyncException("DaclSyntaxError", FailureKind.InvalidData, document.Source + ": " + error.Message, document.Source)
                {
                    RecommendedAction = error.Hint ?? $"Fix line {error.Line} at column {error.Column}: {error.Expected}.",
                });
            }

            if (document.ErrorsOmitted > 0)
            {
                WriteFailure(new PostureSyncException("DaclSyntaxError", FailureKind.InvalidData,
                    string.Format(CultureInfo.InvariantCulture, "{0}: {1} further syntax errors were not reported.", document.Source, document.ErrorsOmitted), document.Source)
                {
                    RecommendedAction = "Check that the input is an ACL (dACL text, av-pairs or show access-lists output).",
                });
            }
        }

        /// <summary>
        /// Warnings and errors go to the warning stream (the worst first, a few per list); information goes to the
        /// verbose stream, and with -Quiet everything does, so that the bool is all that is printed.
        /// </summary>
        private void WriteFindings(DaclListCheck check)
        {
            string prefix = check.List.Name + " (" + check.List.Source + "): ";
            var warned = new List<string>();
            foreach (string finding in check.Findings)
            {
                if (Quiet || FindingSeverity.IsInformation(finding))
                {
                    WriteVerbose(prefix + finding);
                }
                else
                {
                    warned.Add(finding);
                }
            }

            foreach (string finding in warned.Take(MaxWarningsPerList))
            {
                WriteWarning(prefix + finding);
            }

            if (warned.Count > MaxWarningsPerList)
            {
                WriteWarning(prefix + (warned.Count - MaxWarningsPerList).ToString(CultureInfo.InvariantCulture) + " more findings: see the Findings property.");
            }
        }
    }
}
