using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using PostureSync.Core;
using PostureSync.Core.Acl;
using PostureSync.Core.Ise;
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
        private const string IseSet = "Ise";
        private const string ContentSource = "-Content";

        private readonly List<string> files = new List<string>();

        /// <summary>
        /// -Content documents: each whole text (a string with line breaks) is one, a run of single lines is one, and the
        /// text of a named dACL (Get-IseDacl output, or -Content with -DaclName) is one.
        /// </summary>
        private readonly List<DaclInput> contentInputs = new List<DaclInput>();

        /// <summary>-Content under -DaclName, in order.</summary>
        private readonly List<(string Name, StringBuilder Text)> namedContent = new List<(string Name, StringBuilder Text)>();

        /// <summary>dACL names to read from ISE (the Ise set).</summary>
        private readonly List<string> iseDaclNames = new List<string>();
        private readonly StringBuilder pendingLines = new StringBuilder();
        private readonly List<string> psnEntries = new List<string>();
        private readonly ConcurrentQueue<string> verbose = new ConcurrentQueue<string>();

        /// <summary>Sessions piped from Get-NadSession: exactly their lists are checked in the show output given.</summary>
        private readonly List<SessionDaclRequest> sessions = new List<SessionDaclRequest>();
        private string[]? commandLineAclNames;
        private bool pathsOnCommandLine;
        private bool commandLinePathsResolved;
        private bool sawContent;
        private bool hasPendingLines;

        /// <summary>A -Path matched nothing: -Quiet then cannot say every result is Pass.</summary>
        private bool pathsMissing;

        /// <summary>A -DaclName ISE does not have: -Quiet then cannot say every result is Pass either.</summary>
        private bool daclsMissing;

        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>Binds Get-IseDacl's Text by property name.</summary>
        [Parameter(ParameterSetName = ContentSet, Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Text")]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[]? Content { get; set; }

        /// <summary>
        /// The ISE name of the dACL: with -Content it names the results (Get-IseDacl's Name binds); with -Connection
        /// and no text, the dACLs to read from ISE (Get-NadSession's DaclName binds; a session without a dACL gives none).
        /// </summary>
        [Parameter(ParameterSetName = ContentSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = IseSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [AllowEmptyCollection]
        public string[]? DaclName { get; set; }

        /// <summary>Read the text of -DaclName from this ISE connection (Connect-IseServer); without -PsnAddress, judge against ISE's PSNs.</summary>
        [Parameter(ParameterSetName = IseSet, Mandatory = true)]
        [ValidateNotNull]
        public IseConnection? Connection { get; set; }

        [Parameter]
        public AclInputFormat InputFormat { get; set; } = AclInputFormat.Auto;

        /// <summary>From the pipeline: a Get-NadSession session's AcsAcl, the lists that session holds. Tab completes the list names in -Path or -Content.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AcsAcl")]
        [ArgumentCompleter(typeof(AclNameCompleter))]
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
        [ValidateRange(PostureSyncRule.MinPort, PostureSyncRule.MaxPort)]
        public int Port { get; set; } = PostureSyncRule.SyncPort;

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
                case ContentSet when DaclName is { Length: 1 }:
                    // A named dACL (Get-IseDacl gives one per object) is its own document; lines that follow under the
                    // same name (Get-Content | ... -DaclName X) join it.
                    sawContent = true;
                    if (namedContent.Count == 0 || namedContent[namedContent.Count - 1].Name != DaclName[0])
                    {
                        namedContent.Add((DaclName[0], new StringBuilder()));
                    }

                    namedContent[namedContent.Count - 1].Text.Append(string.Join("\n", Content ?? Array.Empty<string>())).Append('\n');
                    break;
                case ContentSet:
                    sawContent = true;
                    foreach (string? text in Content ?? Array.Empty<string>())
                    {
                        AddContent(text ?? string.Empty);
                    }

                    break;
                case IseSet:
                    iseDaclNames.AddRange((DaclName ?? Array.Empty<string>())
                        .Where(name => !string.IsNullOrWhiteSpace(name))
                        .Select(name => DownloadedAclName.Parse(name).DaclName)
                        .Where(name => !iseDaclNames.Contains(name, StringComparer.Ordinal)));
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
            TakeLoneLineAsFile();
            FlushPendingLines();
            contentInputs.AddRange(namedContent.Select(named => DaclInput.FromNamedText(named.Name, named.Name, named.Text.ToString())));
            if (sawContent && contentInputs.Count == 0)
            {
                contentInputs.Add(DaclInput.FromText(ContentSource, string.Empty));
            }

            if (ParameterSetName == IseSet)
            {
                contentInputs.AddRange(ReadFromIse());
            }

            var request = new ComplianceDaclRequest
            {
                PsnEntries = psnEntries,
                Port = Port,
                InputFormat = InputFormat,
                AclNames = commandLineAclNames,
                EndpointAddress = EndpointAddress,
                Sessions = ParameterSetName == IseSet ? new List<SessionDaclRequest>() : sessions,
                Quiet = Quiet,
            };
            IEnumerable<DaclInput> inputs = contentInputs.Concat(files.Select(DaclInput.FromFile));
            var check = new ComplianceDaclCheck(request, resolver: null, Reporter);
            ComplianceDaclOutcome outcome = StopOnFailure(() => check.Run(inputs));

            if (Quiet)
            {
                WriteObject(!pathsMissing && !daclsMissing && outcome.AllPass);
                return;
            }

            foreach (DaclTestResult result in outcome.Results)
            {
                WriteObject(result);
            }
        }

        /// <summary>
        /// The text of each -DaclName from ISE (wire names like #ACSACL#-IP-NAME-hash are reduced to NAME [inferred]); a
        /// name ISE lacks is IseDaclNotFound. Without -PsnAddress, ISE's PSN addresses are the ones to prove blocked.
        /// </summary>
        private List<DaclInput> ReadFromIse()
        {
            var reader = new IseReader(Connection!.Client, verbose.Enqueue, Cancellation);
            bool readPsns = psnEntries.Count == 0;
            (List<IseDacl> Dacls, List<string> Missing, List<IsePsn> Psns) answer;
            try
            {
                answer = IseCmdlet.RunToEnd(this, verbose, Cancellation, async () =>
                {
                    Dictionary<string, string> ids = await IseInventory.GetDaclIdsAsync(reader).ConfigureAwait(false);
                    List<IseDacl> found = await IseInventory.GetDaclDetailsAsync(reader, iseDaclNames.Where(ids.ContainsKey).Select(n => ids[n]).ToList()).ConfigureAwait(false);
                    List<IsePsn> nodes = readPsns ? await IseInventory.GetPsnsAsync(reader).ConfigureAwait(false) : new List<IsePsn>();
                    return (found, iseDaclNames.Where(n => !ids.ContainsKey(n)).ToList(), nodes);
                });
            }
            catch (PostureSyncException failure)
            {
                ThrowFailure(failure);
                throw;
            }

            foreach (string name in answer.Missing)
            {
                daclsMissing = true;
                WriteFailure(new PostureSyncException(ErrorIds.IseDaclNotFound, FailureKind.ObjectNotFound, $"ISE at {Connection.Server} has no dACL named '{name}'.", name)
                {
                    RecommendedAction = "Check the name with Get-IseDacl; the session may hold a dACL that was renamed or deleted since.",
                });
            }

            psnEntries.AddRange(answer.Psns.SelectMany(p => p.IPAddress).Distinct(StringComparer.OrdinalIgnoreCase));
            return answer.Dacls.Select(d => DaclInput.FromNamedText("ISE " + Connection.Server, d.Name, d.Text)).ToList();
        }

        private void AddContent(string text)
        {
            if (text.IndexOf('\n') >= 0 || text.IndexOf('\r') >= 0)
            {
                // A whole text (Get-Content -Raw): its own list, never run together with the next text.
                FlushPendingLines();
                contentInputs.Add(DaclInput.FromText(ContentSource, text));
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
            if (!hasPendingLines || contentInputs.Count > 0 || namedContent.Count > 0 || lone.Trim().Length == 0 || lone.IndexOf('\n') >= 0)
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
                contentInputs.Add(DaclInput.FromText(ContentSource, pendingLines.ToString()));
                pendingLines.Clear();
                hasPendingLines = false;
            }
        }
    }
}
