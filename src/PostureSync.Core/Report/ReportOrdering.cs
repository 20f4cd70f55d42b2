using System;
using System.Collections.Generic;
using PostureSync.Core.Health;

namespace PostureSync.Core.Report
{
    /// <summary>Worst first: how the page ranks health statuses and test verdicts (lower is worse).</summary>
    internal static class ReportOrdering
    {
        /// <summary>The health statuses, worst first; a value outside them (a hand-edited import) ranks with Unknown.</summary>
        public static readonly IReadOnlyList<string> StatusesWorstFirst = new[]
        {
            HealthStatuses.Unhealthy, HealthStatuses.Degraded, HealthStatuses.Unknown, HealthStatuses.Healthy,
        };

        public static int StatusRank(string? status)
        {
            for (int i = 0; i < StatusesWorstFirst.Count; i++)
            {
                if (string.Equals(StatusesWorstFirst[i], status?.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return 2;
        }

        /// <summary>The canonical status name, or Unknown for anything outside the vocabulary.</summary>
        public static string StatusName(string? status) => StatusesWorstFirst[StatusRank(status)];

        /// <summary>Port, dACL and ISE verdicts and statuses: failures, then warnings, then unknowns, then passes.</summary>
        public static int VerdictRank(string? verdict)
        {
            switch (verdict?.Trim().ToUpperInvariant())
            {
                case "FAIL":
                case "FAILED":
                case "UNHEALTHY":
                case "ERROR":
                    return 0;
                case "WARN":
                case "WARNING":
                case "DEGRADED":
                    return 1;
                case "PASS":
                case "PASSED":
                case "HEALTHY":
                case "INFO":
                case "INFORMATION":
                    return 3;
                default:
                    return 2;
            }
        }

        /// <summary>Worst status, then most failed checks, then a restart needed, then by name: a stable, total order.</summary>
        public static int CompareEndpoints(ReportEndpoint a, ReportEndpoint b)
        {
            int order = StatusRank(a.Status).CompareTo(StatusRank(b.Status));
            if (order == 0)
            {
                order = b.ChecksFailed.CompareTo(a.ChecksFailed);
            }

            if (order == 0)
            {
                order = b.NeedsAgentRestart.CompareTo(a.NeedsAgentRestart);
            }

            if (order == 0)
            {
                order = string.Compare(a.Endpoint, b.Endpoint, StringComparison.OrdinalIgnoreCase);
            }

            if (order == 0)
            {
                order = string.CompareOrdinal(a.Source, b.Source);
            }

            return order;
        }
    }
}
