using System.Collections.Generic;

namespace PostureSync.Core.Report
{
    /// <summary>A result type the page shows as a table, and the properties it reads from each object, by name.</summary>
    internal sealed class ReportTableSpec
    {
        public ReportTableSpec(string typeName, string title, string[]? columns, params string[] verdictColumns)
        {
            TypeName = typeName;
            Title = title;
            Columns = columns;
            VerdictColumns = verdictColumns;
        }

        /// <summary>The PowerShell type name without namespace, e.g. PortTestResult for PostureSync.PortTestResult.</summary>
        public string TypeName { get; }

        public string Title { get; }

        /// <summary>Null: every property of the objects, in the order the first object lists them.</summary>
        public string[]? Columns { get; }

        /// <summary>The first of these that is a column orders the rows worst first.</summary>
        public string[] VerdictColumns { get; }
    }

    /// <summary>What the page accepts from the pipeline, by PowerShell type name (live or Deserialized.).</summary>
    internal static class ReportSections
    {
        public const string TypeNamespace = "PostureSync.";
        public const string DeserializedPrefix = "Deserialized.";
        public const string HealthReport = "HealthReport";
        public const string DartSyncEvent = "DartSyncEvent";

        /// <summary>In page order.</summary>
        public static readonly IReadOnlyList<ReportTableSpec> Tables = new[]
        {
            new ReportTableSpec(
                "PortTestResult",
                "Port tests",
                new[] { "Source", "TargetName", "TargetAddress", "Port", "State", "PostureStatus", "ExpectedState", "Verdict", "Message" },
                "Verdict"),
            new ReportTableSpec(
                "DaclTestResult",
                "dACL tests",
                new[] { "AclName", "Source", "Psn", "Port", "EndpointAddress", "Verdict", "Action", "DecidingLine", "DecidingAce", "CounterExample", "Reason", "Findings" },
                "Verdict"),

            // The ISE audit's shape belongs to the ISE cmdlets; every property it has is shown.
            new ReportTableSpec("IseDaclAudit", "ISE dACL audit", null, "Verdict", "Status"),
        };

        /// <summary>Every type name the page takes, short form, for the error that names what it does not.</summary>
        public static IEnumerable<string> AcceptedTypeNames()
        {
            yield return TypeNamespace + HealthReport;
            yield return TypeNamespace + DartSyncEvent;
            foreach (ReportTableSpec spec in Tables)
            {
                yield return TypeNamespace + spec.TypeName;
            }
        }
    }
}
