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

        /// <summary>Sessions piped from Get-NadSession: exactly their lists are checked.</summary>
        private readonly List<SessionDaclRequest> sessions = new List<SessionDaclRequest>();
        private string[]? commandLineAclNames;
        private bool pathsOnCommandLine;
        private bool commandLinePathsResolved;
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

        /// <summary>From the pipeline: a Get-NadSession session's AcsAcl, the lists that session holds.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AcsAcl")]
        [AllowNull]
        [AllowEmptyCollection]
        public string[]? AclName { get; set; }

        // A session piped from Get-NadSession names itself through these, and its results carry them.
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Device { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Interface { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? MacAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SessionId { get; set; }

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

        protected override void BeginProcessing()
        {
            commandLineAclNames = AclName;
            pathsOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Path)) || MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath));
        }

        protected override void ProcessRecord()
        {
            // A session carries AcsAcl (empty when it holds none); an object that only shares a MAC address or session id does not.
            if ((Interface != null || MacAddress != null || SessionId != null) && AclName != null)
            {
                sessions.Add(new SessionDaclRequest(AclName, Device, Interface, MacAddress, SessionId));
            }

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
                    if (commandLinePathsResolved)
                    {
                        // -Path given once for many piped sessions is resolved once.
                        break;
                    }

                    commandLinePathsResolved = pathsOnCommandLine;
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
                AclNames = commandLineAclNames,
                EndpointAddress = EndpointAddress,
                Sessions = sessions,
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
