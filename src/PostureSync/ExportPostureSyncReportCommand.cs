using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Report;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>Writes one self-contained HTML page from health reports, sync events, port, dACL and ISE results.</summary>
    [Cmdlet(VerbsData.Export, "PostureSyncReport")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportPostureSyncReportCommand : PostureSyncCmdlet
    {
        private readonly ReportDocument document = new ReportDocument();
        private readonly Dictionary<ReportTableSpec, ReportTable> tables = new Dictionary<ReportTableSpec, ReportTable>();
        private string fullPath = string.Empty;
        private int received;
        private int accepted;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "PostureSync report";

        /// <summary>Replace a read-only file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            // Checked before any input is read, so a wrong -Path fails at once and writes nothing.
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out provider, out _);
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is PSArgumentException || ex is NotSupportedException)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.PathInvalid, FailureKind.InvalidArgument, $"'{Path}' is not a usable path: {ex.Message}", Path)
                {
                    RecommendedAction = "Give -Path a file-system path for the HTML file.",
                });
                return;
            }

            if (provider.Name != "FileSystem")
            {
                ThrowFailure(new PostureSyncException(ErrorIds.PathNotFileSystem, FailureKind.InvalidArgument, $"'{Path}' is on the {provider.Name} provider; the report is written to a file.", Path)
                {
                    RecommendedAction = "Give -Path a file-system path.",
                });
            }

            fullPath = resolved;
            try
            {
                // The writer checks again when it writes; a file may appear or go meanwhile.
                ReportFile.CheckTarget(fullPath, NoClobber, Force);
            }
            catch (PostureSyncException failure)
            {
                ThrowFailure(failure);
            }

            document.Title = Title;
            document.ModuleVersion = MyInvocation.MyCommand.Module?.Version?.ToString() ?? typeof(ExportPostureSyncReportCommand).Assembly.GetName().Version.ToString(3);
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            received++;
            string? typeName = ShortTypeName(InputObject);
            if (typeName == ReportSections.HealthReport)
            {
                document.Endpoints.Add(ReadHealthReport(InputObject));
            }
            else if (typeName == ReportSections.DartSyncEvent)
            {
                ReportEvent? item = ReadEvent(InputObject);
                if (item == null)
                {
                    return;
                }

                document.Events.Add(item);
            }
            else if (ReportSections.Tables.FirstOrDefault(s => s.TypeName == typeName) is ReportTableSpec spec)
            {
                AddTableRow(spec, InputObject);
            }
            else
            {
                string shown = InputObject.TypeNames.Count > 0 ? InputObject.TypeNames[0] : InputObject.BaseObject.GetType().FullName;
                WriteFailure(new PostureSyncException(
                    ErrorIds.ReportInputTypeUnknown,
                    FailureKind.InvalidArgument,
                    $"Export-PostureSyncReport does not take {shown} objects; it takes {string.Join(", ", ReportSections.AcceptedTypeNames())}.",
                    InputObject)
                {
                    RecommendedAction = "Pipe the PostureSync cmdlets' results (Test-PostureSyncHealth, Get-DartSyncEvents, ...) as they come, or from Import-Clixml; Select-Object and ConvertFrom-Json lose their type names.",
                });
                return;
            }

            accepted++;
        }

        protected override void EndProcessing()
        {
            if (received > 0 && accepted == 0)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.ReportNothingToWrite, FailureKind.InvalidArgument, $"None of the {received} objects given is a PostureSync result, so '{fullPath}' was not written.", fullPath)
                {
                    RecommendedAction = "Pipe Test-PostureSyncHealth, Get-DartSyncEvents, Test-PostureSyncPort or Test-ComplianceDacl results.",
                });
            }

            foreach (ReportTableSpec spec in ReportSections.Tables)
            {
                if (tables.TryGetValue(spec, out ReportTable? table))
                {
                    document.Tables.Add(table);
                }
            }

            document.GeneratedAt = DateTime.UtcNow;
            FileInfo written;
            try
            {
                written = ReportFile.Write(document, fullPath, NoClobber, Force, Cancellation);
            }
            catch (PostureSyncException failure)
            {
                ThrowFailure(failure);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            WriteVerbose($"Wrote {document.Endpoints.Count} reports, {document.Events.Count} events and {document.Tables.Sum(t => t.Rows.Count)} result rows to '{written.FullName}' ({written.Length} bytes).");
            if (PassThru)
            {
                WriteObject(written);
            }
        }

        /// <summary>PostureSync.X or Deserialized.PostureSync.X gives X; anything else null.</summary>
        private static string? ShortTypeName(PSObject item)
        {
            foreach (string name in item.TypeNames)
            {
                string bare = name.StartsWith(ReportSections.DeserializedPrefix, StringComparison.Ordinal) ? name.Substring(ReportSections.DeserializedPrefix.Length) : name;
                if (bare.StartsWith(ReportSections.TypeNamespace, StringComparison.Ordinal))
                {
                    return bare.Substring(ReportSections.TypeNamespace.Length);
                }
            }

            return null;
        }

        private static ReportEndpoint ReadHealthReport(PSObject item) => new ReportEndpoint
        {
            Endpoint = PropertyReader.Text(item, "Endpoint") ?? string.Empty,
            Source = PropertyReader.Text(item, "Source") ?? string.Empty,
            ComputerName = PropertyReader.Text(item, "PSComputerName"),
            CheckedAt = PropertyReader.Time(item, "CheckedAt"),
            Status = PropertyReader.Text(item, "Status") ?? string.Empty,
            PostureStatus = PropertyReader.Text(item, "PostureStatus") ?? string.Empty,
            StateSyncEnabled = PropertyReader.Bool(item, "StateSyncEnabled"),
            NeedsAgentRestart = PropertyReader.Bool(item, "NeedsAgentRestart") ?? false,
            ChecksPassed = PropertyReader.Int(item, "ChecksPassed"),
            ChecksFailed = PropertyReader.Int(item, "ChecksFailed"),
            ProbeTargets = PropertyReader.Texts(item, "ProbeTargets"),
            Findings = PropertyReader.Texts(item, "Findings"),
        };

        private ReportEvent? ReadEvent(PSObject item)
        {
            DateTime? time = PropertyReader.Time(item, "TimeCreated");
            if (time == null)
            {
                WriteFailure(new PostureSyncException(ErrorIds.ReportEventTimeMissing, FailureKind.InvalidData, "A DartSyncEvent has no TimeCreated, so it has no place on a timeline; it was left out.", item)
                {
                    RecommendedAction = "Pipe the events as Get-DartSyncEvents writes them.",
                });
                return null;
            }

            string key = new[] { "PSComputerName", "BundlePath", "LogPath" }.Select(name => PropertyReader.Text(item, name)).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "(unknown source)";
            return new ReportEvent
            {
                EndpointKey = key,
                TimeCreated = time.Value,
                EventType = PropertyReader.Text(item, "EventType") ?? string.Empty,
                Severity = PropertyReader.Text(item, "Severity") ?? string.Empty,
                PostureStatus = PropertyReader.Text(item, "PostureStatus"),
                Message = PropertyReader.Text(item, "Message") ?? string.Empty,
                LineNumber = PropertyReader.Long(item, "LineNumber"),
            };
        }

        private void AddTableRow(ReportTableSpec spec, PSObject item)
        {
            if (!tables.TryGetValue(spec, out ReportTable? table))
            {
                string[] columns = spec.Columns ?? item.Properties
                    .Where(p => p.IsGettable && p.Name != "RunspaceId" && p.Name != "PSShowComputerName")
                    .Select(p => p.Name)
                    .ToArray();
                string? verdict = spec.VerdictColumns.FirstOrDefault(v => columns.Contains(v, StringComparer.OrdinalIgnoreCase));
                tables[spec] = table = new ReportTable(spec.Title, columns, verdict);
            }

            table.Rows.Add(table.Columns.Select(column => PropertyReader.Text(item, column) ?? string.Empty).ToArray());
        }
    }
}
