using System;
using System.Collections.Generic;

namespace PostureSync.Core.Report
{
    /// <summary>Everything one page shows. The cmdlet fills it from live or deserialized objects, read by property name.</summary>
    internal sealed class ReportDocument
    {
        public string Title { get; set; } = "PostureSync report";

        public string ModuleVersion { get; set; } = string.Empty;

        /// <summary>When the page was written (UTC).</summary>
        public DateTime GeneratedAt { get; set; }

        public List<ReportEndpoint> Endpoints { get; } = new List<ReportEndpoint>();

        public List<ReportEvent> Events { get; } = new List<ReportEvent>();

        /// <summary>Port tests, dACL tests and ISE audits, each its own section, in this order.</summary>
        public List<ReportTable> Tables { get; } = new List<ReportTable>();
    }

    /// <summary>One PostureSync.HealthReport.</summary>
    internal sealed class ReportEndpoint
    {
        public string Endpoint { get; set; } = string.Empty;

        public string Source { get; set; } = string.Empty;

        /// <summary>PSComputerName, when the report came back through Invoke-Command.</summary>
        public string? ComputerName { get; set; }

        public DateTime? CheckedAt { get; set; }

        public string Status { get; set; } = string.Empty;

        public string PostureStatus { get; set; } = string.Empty;

        public bool? StateSyncEnabled { get; set; }

        public bool NeedsAgentRestart { get; set; }

        public int ChecksPassed { get; set; }

        public int ChecksFailed { get; set; }

        public string[] ProbeTargets { get; set; } = Array.Empty<string>();

        public string[] Findings { get; set; } = Array.Empty<string>();
    }

    /// <summary>One PostureSync.DartSyncEvent, with the endpoint it belongs to.</summary>
    internal sealed class ReportEvent
    {
        /// <summary>PSComputerName, else the DART bundle, else the log file: what the timeline groups by.</summary>
        public string EndpointKey { get; set; } = string.Empty;

        public DateTime TimeCreated { get; set; }

        public string EventType { get; set; } = string.Empty;

        public string Severity { get; set; } = string.Empty;

        public string? PostureStatus { get; set; }

        public string Message { get; set; } = string.Empty;

        public long LineNumber { get; set; }
    }

    /// <summary>A section of rows of one result type (port tests, dACL tests, ISE audits), worst verdict first.</summary>
    internal sealed class ReportTable
    {
        public ReportTable(string title, IReadOnlyList<string> columns, string? verdictColumn)
        {
            Title = title;
            Columns = columns;
            VerdictColumn = verdictColumn;
        }

        public string Title { get; }

        public IReadOnlyList<string> Columns { get; }

        /// <summary>The column whose value orders the rows (Verdict, Status); null when the type has none.</summary>
        public string? VerdictColumn { get; }

        /// <summary>Cells in <see cref="Columns"/> order.</summary>
        public List<string[]> Rows { get; } = new List<string[]>();
    }
}
