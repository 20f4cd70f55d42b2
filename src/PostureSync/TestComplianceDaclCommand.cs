using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using PostureSync.Core;
using PostureSync.Core.Acl;
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

        private readonly List<string> files = new List<string>();

        /// <summary>-Content documents: each whole text (a string with line breaks) is one, and a run of single lines is one.</summary>
        private readonly List<string> contentTexts = new List<string>();
        private readonly StringBuilder pendingLines = new StringBuilder();
        private readonly List<string> psnEntries = new List<string>();
        private bool sawContent;
        private bool hasPendingLines;

        /// <summary>A -Path matched nothing: -Quiet then cannot say every result is Pass.</summary>
        private bool pathsMissing;

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

                        pathsMissing |= !any && !string.IsNullOrWhiteSpace(path);
                    }

                    break;
            }
        }

        protected override void EndProcessing()
        {
            TakeLoneLineAsFile();
            FlushPendingLines();
            if (sawContent && contentTexts.Count == 0)
            {
                contentTexts.Add(string.Empty);
            }

            var request = new ComplianceDaclRequest
            {
                PsnEntries = psnEntries,
                Port = Port,
                InputFormat = InputFormat,
                AclNames = AclName,
                EndpointAddress = EndpointAddress,
                Quiet = Quiet,
            };
            IEnumerable<DaclInput> inputs = contentTexts.Select(text => DaclInput.FromText(ContentSource, text)).Concat(files.Select(DaclInput.FromFile));
            var check = new ComplianceDaclCheck(request, resolver: null, Reporter);
            ComplianceDaclOutcome outcome = StopOnFailure(() => check.Run(inputs));

            if (Quiet)
            {
                WriteObject(!pathsMissing && outcome.AllPass);
                return;
            }

            foreach (DaclTestResult result in outcome.Results)
            {
                WriteObject(result);
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
            if (!hasPendingLines || contentTexts.Count > 0 || lone.Trim().Length == 0 || lone.IndexOf('\n') >= 0)
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
    }
}
