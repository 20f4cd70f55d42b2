using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using PostureSync.Core.Dart;

namespace PostureSync.Core.Report
{
    /// <summary>
    /// Writes a <see cref="ReportDocument"/> as one self-contained HTML page: summary, endpoints worst first with their
    /// findings, per-endpoint event timelines, then the port, dACL and ISE tables. Every value goes through
    /// <see cref="HtmlText"/>; class names and ids come from fixed vocabularies and counters, never from the data.
    /// Long tables are cut into pages of collapsible rows, and only the worst <see cref="MaxTimelines"/> timelines are
    /// drawn, each listing its latest <see cref="MaxListedEvents"/> events, so a fleet-sized page stays quick to open.
    /// </summary>
    internal sealed class HtmlReportRenderer
    {
        public const int RowsPerPage = 200;

        /// <summary>Timelines open on load; the rest are collapsed (their content is still in the page).</summary>
        public const int OpenTimelines = 10;

        /// <summary>Timelines drawn, worst first; a note counts the rest, and their endpoints' rows say how many events they had.</summary>
        public const int MaxTimelines = 100;

        /// <summary>Events listed under one timeline: the latest ones. Its plot counts them all.</summary>
        public const int MaxListedEvents = 100;

        private const int FlushAt = 64 * 1024;
        private const int MessageLength = 1000;
        private const int PlotLeft = 150;
        private const int PlotWidth = 820;
        private const int BucketWidth = 4;
        private const int LaneHeight = 22;

        private static readonly (string Label, string[] Types)[] Lanes =
        {
            ("Posture status", new[] { DartSyncEventType.PostureStatus }),
            ("Sync probe", new[] { DartSyncEventType.SyncProbe }),
            ("Sync probe error", new[] { DartSyncEventType.SyncProbeError }),
            ("Restart", new[] { DartSyncEventType.DiscoveryRestart }),
        };

        private readonly StringBuilder page = new StringBuilder(FlushAt * 2);
        private readonly TextWriter output;
        private readonly CancellationToken cancellation;

        private HtmlReportRenderer(TextWriter output, CancellationToken cancellation)
        {
            this.output = output;
            this.cancellation = cancellation;
        }

        public static void Render(ReportDocument document, TextWriter output, CancellationToken cancellation = default)
        {
            var renderer = new HtmlReportRenderer(output, cancellation);
            renderer.Write(document);
            renderer.Flush();
        }

        /// <summary>The status as a class-name token (st-unhealthy ...): always one of four fixed words.</summary>
        public static string StatusToken(string? status) => ReportOrdering.StatusName(status).ToLowerInvariant();

        private void Write(ReportDocument document)
        {
            List<ReportEndpoint> endpoints = document.Endpoints.ToList();
            endpoints.Sort(ReportOrdering.CompareEndpoints);
            List<Timeline> timelines = BuildTimelines(document.Events, endpoints);
            var timelineOf = new Dictionary<ReportEndpoint, Timeline>();
            foreach (Timeline timeline in timelines)
            {
                if (timeline.Report != null && !timelineOf.ContainsKey(timeline.Report))
                {
                    timelineOf[timeline.Report] = timeline;
                }
            }

            page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").AppendEncoded(ReportAssets.ContentSecurityPolicy).Append("\">\n")
                .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<meta name=\"generator\" content=\"PostureSync ").AppendEncoded(document.ModuleVersion).Append("\">\n")
                .Append("<title>").AppendEncoded(document.Title).Append("</title>\n")
                .Append("<style>").Append(ReportAssets.Style).Append("</style>\n</head>\n<body>\n<header>\n<h1>")
                .AppendEncoded(document.Title).Append("</h1>\n<p class=\"meta\">")
                .Append(Count(endpoints.Count, "endpoint report")).Append(", ").Append(Count(document.Events.Count, "event"));
            foreach (ReportTable table in document.Tables)
            {
                page.Append(", ").AppendEncoded(table.Title).Append(": ").Append(Number(table.Rows.Count));
            }

            page.Append("</p>\n<nav><a href=\"#summary\">Summary</a><a href=\"#endpoints\">Endpoints</a>");
            if (timelines.Count > 0)
            {
                page.Append("<a href=\"#timelines\">Timelines</a>");
            }

            for (int i = 0; i < document.Tables.Count; i++)
            {
                page.Append("<a href=\"#table-").Append(i).Append("\">").AppendEncoded(document.Tables[i].Title).Append("</a>");
            }

            page.Append("</nav>\n</header>\n<main>\n");
            WriteSummary(document, endpoints);
            WriteEndpoints(endpoints, timelineOf);
            WriteTimelines(timelines);
            for (int i = 0; i < document.Tables.Count; i++)
            {
                WriteTable(document.Tables[i], i);
            }

            page.Append("</main>\n<footer><p>");
            DateTime[] checkedAt = endpoints.Where(e => e.CheckedAt.HasValue).Select(e => e.CheckedAt!.Value).ToArray();
            if (checkedAt.Length > 0)
            {
                DateTime first = checkedAt.Min(), last = checkedAt.Max();
                page.Append("Checked at <span id=\"checked-at\">").AppendEncoded(Time(first));
                if (last != first)
                {
                    page.Append(" to ").AppendEncoded(Time(last));
                }

                page.Append("</span>. ");
            }

            page.Append("Written ").AppendEncoded(Time(document.GeneratedAt)).Append(" by PostureSync <span id=\"module-version\">")
                .AppendEncoded(document.ModuleVersion).Append("</span>.</p></footer>\n")
                .Append("<script>").Append(ReportAssets.Script).Append("</script>\n</body>\n</html>\n");
        }

        private void WriteSummary(ReportDocument document, List<ReportEndpoint> endpoints)
        {
            page.Append("<section id=\"summary\">\n<h2>Summary</h2>\n");
            var counts = ReportOrdering.StatusesWorstFirst.Select(s => (Status: s, Count: endpoints.Count(e => ReportOrdering.StatusName(e.Status) == s))).ToArray();
            int total = endpoints.Count;
            const int barWidth = 600;
            page.Append("<svg id=\"status-bar\" width=\"").Append(barWidth + 2).Append("\" height=\"34\" viewBox=\"0 0 ").Append(barWidth + 2)
                .Append(" 34\" role=\"img\" aria-label=\"Endpoints by status, worst first\">");
            double x = 1;
            foreach (var (status, count) in counts)
            {
                if (count == 0 || total == 0)
                {
                    continue;
                }

                double width = barWidth * (double)count / total;
                page.Append("<rect class=\"st-").Append(status.ToLowerInvariant()).Append("\" x=\"").Append(Fixed(x)).Append("\" y=\"1\" width=\"")
                    .Append(Fixed(Math.Max(width, 1))).Append("\" height=\"32\"><title>").Append(status).Append(": ").Append(Number(count)).Append("</title></rect>");
                x += width;
            }

            if (total == 0)
            {
                page.Append("<text x=\"4\" y=\"22\">No health reports were given.</text>");
            }

            page.Append("</svg>\n<div class=\"cards\">\n<div><table id=\"status-counts\" class=\"counts\"><thead><tr><th>Status</th><th>Endpoints</th><th>Share</th></tr></thead><tbody>");
            foreach (var (status, count) in counts)
            {
                page.Append("<tr class=\"st-").Append(status.ToLowerInvariant()).Append("\" data-status=\"").Append(status.ToLowerInvariant())
                    .Append("\"><td><span class=\"badge\">").Append(status).Append("</span></td><td class=\"num count\">").Append(Number(count))
                    .Append("</td><td class=\"num\">").Append(total == 0 ? "-" : ((double)count / total).ToString("P0", CultureInfo.InvariantCulture)).Append("</td></tr>");
            }

            page.Append("</tbody></table>\n<p>Needing an agent restart: <span id=\"restart-count\">")
                .Append(Number(endpoints.Count(e => e.NeedsAgentRestart))).Append("</span>.</p></div>\n");
            if (document.Events.Count > 0)
            {
                page.Append("<table id=\"event-counts\" class=\"counts\"><thead><tr><th>Event type</th><th>Events</th></tr></thead><tbody>");
                foreach (var group in document.Events.GroupBy(e => e.EventType, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
                {
                    page.Append("<tr><td>").AppendEncoded(group.Key).Append("</td><td class=\"num\">").Append(Number(group.Count())).Append("</td></tr>");
                }

                page.Append("</tbody></table>\n");
            }

            for (int i = 0; i < document.Tables.Count; i++)
            {
                ReportTable table = document.Tables[i];
                int verdict = table.VerdictColumn == null ? -1 : IndexOf(table.Columns, table.VerdictColumn);
                if (verdict < 0)
                {
                    continue;
                }

                page.Append("<table class=\"counts\" id=\"counts-").Append(i).Append("\"><thead><tr><th>").AppendEncoded(table.Title).Append(": ")
                    .AppendEncoded(table.VerdictColumn).Append("</th><th>Rows</th></tr></thead><tbody>");
                foreach (var group in table.Rows.GroupBy(r => r[verdict], StringComparer.OrdinalIgnoreCase).OrderBy(g => ReportOrdering.VerdictRank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
                {
                    page.Append("<tr><td>").AppendEncoded(group.Key).Append("</td><td class=\"num\">").Append(Number(group.Count())).Append("</td></tr>");
                }

                page.Append("</tbody></table>\n");
            }

            page.Append("</div>\n</section>\n");
        }

        private void WriteEndpoints(List<ReportEndpoint> endpoints, Dictionary<ReportEndpoint, Timeline> timelineOf)
        {
            page.Append("<section id=\"endpoints\">\n<h2>Endpoints, worst first</h2>\n")
                .Append("<div id=\"tools\" class=\"tools\" hidden><input id=\"filter\" type=\"search\" placeholder=\"Filter endpoints, findings\" aria-label=\"Filter\"> ")
                .Append("<select id=\"status-filter\" aria-label=\"Status\"><option value=\"\">Every status</option>");
            foreach (string status in ReportOrdering.StatusesWorstFirst)
            {
                page.Append("<option value=\"").Append(status.ToLowerInvariant()).Append("\">").Append(status).Append("</option>");
            }

            page.Append("</select> <span id=\"shown\"></span></div>\n");
            if (endpoints.Count == 0)
            {
                page.Append("<p>No health reports were given.</p>\n</section>\n");
                return;
            }

            for (int start = 0; start < endpoints.Count; start += RowsPerPage)
            {
                int end = Math.Min(start + RowsPerPage, endpoints.Count);
                page.Append("<details class=\"page\"").Append(start == 0 ? " open" : string.Empty).Append("><summary>Endpoints ")
                    .Append(Number(start + 1)).Append("\u2013").Append(Number(end)).Append(" of ").Append(Number(endpoints.Count)).Append("</summary>\n")
                    .Append("<table><thead><tr><th data-sort>#</th><th data-sort>Status</th><th data-sort>Endpoint</th><th data-sort>Posture</th>")
                    .Append("<th data-sort>State sync</th><th data-sort>Agent restart</th><th data-sort>Checks passed</th><th data-sort>Checks failed</th>")
                    .Append("<th>Findings</th></tr></thead>\n<tbody>\n");
                for (int i = start; i < end; i++)
                {
                    WriteEndpointRow(endpoints[i], i + 1, timelineOf.TryGetValue(endpoints[i], out Timeline? timeline) ? timeline : null);
                }

                page.Append("</tbody></table>\n</details>\n");
                FlushIfFull();
            }

            page.Append("</section>\n");
        }

        private void WriteEndpointRow(ReportEndpoint report, int position, Timeline? timeline)
        {
            string token = StatusToken(report.Status);
            page.Append("<tr class=\"report st-").Append(token).Append("\" data-status=\"").Append(token).Append("\"><td class=\"num\">").Append(position)
                .Append("</td><td data-key=\"").Append(ReportOrdering.StatusRank(report.Status)).Append("\"><span class=\"badge\">")
                .AppendEncoded(report.Status).Append("</span></td><td><span class=\"endpoint\">").AppendEncoded(report.Endpoint).Append("</span>");
            if (!string.IsNullOrEmpty(report.ComputerName) && !string.Equals(report.ComputerName, report.Endpoint, StringComparison.OrdinalIgnoreCase))
            {
                page.Append("<br>via ").AppendEncoded(report.ComputerName);
            }

            page.Append("<br><small>").AppendEncoded(report.Source);
            if (report.CheckedAt.HasValue)
            {
                page.Append(", ").AppendEncoded(Time(report.CheckedAt.Value));
            }

            page.Append("</small>");
            if (timeline != null && timeline.Drawn)
            {
                page.Append("<br><a href=\"#tl-").Append(timeline.Number).Append("\">timeline</a>");
            }
            else if (timeline != null)
            {
                page.Append("<br><small>").Append(Count(timeline.Events.Count, "event")).Append(", ").Append(Count(timeline.Errors, "sync probe error"))
                    .Append("; timeline not drawn</small>");
            }

            page.Append("</td><td>").AppendEncoded(report.PostureStatus).Append("</td><td>")
                .Append(report.StateSyncEnabled switch { true => "enabled", false => "disabled", null => "not read" })
                .Append("</td><td>").Append(report.NeedsAgentRestart ? "needed" : "no").Append("</td><td class=\"num\">").Append(report.ChecksPassed)
                .Append("</td><td class=\"num\">").Append(report.ChecksFailed).Append("</td><td>");
            if (report.Findings.Length > 0)
            {
                page.Append("<ul class=\"findings\">");
                foreach (string finding in report.Findings)
                {
                    FindingText parts = FindingText.Parse(finding.Length > HtmlText.MaxValueLength ? finding.Substring(0, HtmlText.MaxValueLength) : finding);
                    page.Append("<li>");
                    if (parts.Check != null)
                    {
                        page.Append("<span class=\"check\">").AppendEncoded(parts.Check).Append(' ').AppendEncoded(parts.Severity).Append(":</span> ");
                    }

                    page.AppendEncoded(parts.What);
                    if (parts.ToDo != null)
                    {
                        page.Append("<span class=\"todo\">").AppendEncoded(parts.ToDo).Append("</span>");
                    }

                    page.Append("</li>");
                }

                page.Append("</ul>");
            }

            page.Append("</td></tr>\n");
        }

        private void WriteTimelines(List<Timeline> timelines)
        {
            if (timelines.Count == 0)
            {
                return;
            }

            page.Append("<section id=\"timelines\">\n<h2>Timelines</h2>\n<p>Per endpoint, worst first: posture status (green Compliant, red NonCompliant, ")
                .Append("orange Pending, grey Unknown), sync probes, sync probe errors and discovery restarts. Hover a mark for its events; each timeline lists its latest ")
                .Append(Number(MaxListedEvents)).Append(" events below.</p>\n");
            foreach (Timeline timeline in timelines.Where(t => t.Drawn))
            {
                WriteTimeline(timeline);
                FlushIfFull();
            }

            WriteTimelinesNotDrawn(timelines.Where(t => !t.Drawn).ToList());
            page.Append("</section>\n");
        }

        /// <summary>Says how many timelines were left out and of which status, and how to see one.</summary>
        private void WriteTimelinesNotDrawn(List<Timeline> left)
        {
            if (left.Count == 0)
            {
                return;
            }

            page.Append("<p class=\"note\" id=\"timelines-not-drawn\"><strong>").Append(Number(left.Count)).Append(" more ").Append(left.Count == 1 ? "timeline is" : "timelines are")
                .Append(" not drawn</strong>, to keep the page quick to open: ");
            var groups = left.GroupBy(t => t.Report == null ? null : ReportOrdering.StatusName(t.Report.Status))
                .OrderBy(g => g.Key == null ? ReportOrdering.StatusesWorstFirst.Count : ReportOrdering.StatusRank(g.Key))
                .Select(g => Number(g.Count()) + " " + (g.Key ?? "without a health report"));
            page.Append(string.Join(", ", groups)).Append(". The ").Append(Number(MaxTimelines))
                .Append(" drawn above are the worst; every endpoint's row says how many events it has. To see the timeline of one that is not drawn, ")
                .Append("export that endpoint's events on their own (Where-Object PSComputerName -eq ... | Export-PostureSyncReport).</p>\n");
        }

        private void WriteTimeline(Timeline timeline)
        {
            List<ReportEvent> events = timeline.Events;
            int errors = timeline.Errors;
            page.Append("<details class=\"timeline page\" id=\"tl-").Append(timeline.Number).Append('"').Append(timeline.Number <= OpenTimelines ? " open" : string.Empty)
                .Append("><summary>").AppendEncoded(timeline.Key).Append(" \u2013 ").Append(Count(events.Count, "event"));
            if (errors > 0)
            {
                page.Append(", ").Append(Count(errors, "sync probe error"));
            }

            if (timeline.Report != null)
            {
                page.Append(" <span class=\"badge st-").Append(StatusToken(timeline.Report.Status)).Append("\">").AppendEncoded(timeline.Report.Status).Append("</span>");
            }

            page.Append("</summary>\n");
            DateTime first = events[0].TimeCreated, last = events[events.Count - 1].TimeCreated;
            double span = (last - first).TotalSeconds;
            int buckets = PlotWidth / BucketWidth;
            int height = (Lanes.Length * LaneHeight) + 24;
            page.Append("<svg class=\"timeline-plot\" width=\"").Append(PlotLeft + PlotWidth + 10).Append("\" height=\"").Append(height)
                .Append("\" viewBox=\"0 0 ").Append(PlotLeft + PlotWidth + 10).Append(' ').Append(height).Append("\" role=\"img\" aria-label=\"Event timeline\">");
            for (int lane = 0; lane < Lanes.Length; lane++)
            {
                int y = lane * LaneHeight;
                page.Append("<text x=\"0\" y=\"").Append(y + 15).Append("\">").Append(Lanes[lane].Label).Append("</text><line class=\"lane\" x1=\"")
                    .Append(PlotLeft).Append("\" x2=\"").Append(PlotLeft + PlotWidth).Append("\" y1=\"").Append(y + 11).Append("\" y2=\"").Append(y + 11).Append("\"/>");
                var marks = new SortedDictionary<int, List<ReportEvent>>();
                foreach (ReportEvent e in events)
                {
                    if (Array.IndexOf(Lanes[lane].Types, e.EventType) < 0)
                    {
                        continue;
                    }

                    int bucket = span <= 0 ? 0 : (int)Math.Min(buckets - 1, (e.TimeCreated - first).TotalSeconds / span * buckets);
                    if (!marks.TryGetValue(bucket, out List<ReportEvent>? inBucket))
                    {
                        marks[bucket] = inBucket = new List<ReportEvent>();
                    }

                    inBucket.Add(e);
                }

                foreach (KeyValuePair<int, List<ReportEvent>> mark in marks)
                {
                    ReportEvent latest = mark.Value[mark.Value.Count - 1];
                    string css = lane switch
                    {
                        0 => "ps-" + PostureToken(latest.PostureStatus),
                        1 => "ev-probe",
                        2 => "ev-error",
                        _ => "ev-restart",
                    };
                    page.Append("<rect class=\"").Append(css).Append("\" x=\"").Append(PlotLeft + (mark.Key * BucketWidth)).Append("\" y=\"").Append(y + 4)
                        .Append("\" width=\"").Append(BucketWidth - 1).Append("\" height=\"14\"><title>");
                    if (mark.Value.Count > 1)
                    {
                        page.Append(Number(mark.Value.Count)).Append(" events, ").AppendEncoded(Time(mark.Value[0].TimeCreated)).Append(" to ")
                            .AppendEncoded(Time(latest.TimeCreated)).Append("; last: ");
                    }

                    // The message is in the event table below the plot; the mark says when and what.
                    page.AppendEncoded(Time(latest.TimeCreated)).Append(' ').AppendEncoded(latest.EventType);
                    if (latest.PostureStatus != null)
                    {
                        page.Append(' ').AppendEncoded(latest.PostureStatus);
                    }

                    page.Append("</title></rect>");
                }
            }

            int axis = (Lanes.Length * LaneHeight) + 16;
            page.Append("<text x=\"").Append(PlotLeft).Append("\" y=\"").Append(axis).Append("\">").AppendEncoded(Time(first)).Append("</text>")
                .Append("<text x=\"").Append(PlotLeft + PlotWidth).Append("\" y=\"").Append(axis).Append("\" text-anchor=\"end\">").AppendEncoded(Time(last))
                .Append("</text></svg>\n<details><summary>");
            int unlisted = Math.Max(0, events.Count - MaxListedEvents);
            if (unlisted > 0)
            {
                page.Append("The latest ").Append(Number(MaxListedEvents)).Append(" of ").Append(Count(events.Count, "event")).Append("</summary>\n<p class=\"note\">")
                    .Append("The ").Append(Number(unlisted)).Append(" earlier events are not listed; the plot above counts them.</p>\n");
            }
            else
            {
                page.Append(Count(events.Count, "event")).Append("</summary>\n");
            }

            page.Append("<table class=\"events\"><thead><tr><th>Time</th><th>Type</th><th>Severity</th><th>Posture</th><th>Line</th><th>Message</th></tr></thead><tbody>\n");
            foreach (ReportEvent e in events.Skip(unlisted))
            {
                page.Append("<tr><td>").AppendEncoded(Time(e.TimeCreated)).Append("</td><td>").AppendEncoded(e.EventType).Append("</td><td>")
                    .AppendEncoded(e.Severity).Append("</td><td>").AppendEncoded(e.PostureStatus).Append("</td><td class=\"num\">").Append(e.LineNumber)
                    .Append("</td><td class=\"msg\">").AppendEncoded(e.Message, MessageLength).Append("</td></tr>\n");
            }

            page.Append("</tbody></table>\n</details>\n</details>\n");
        }

        private void WriteTable(ReportTable table, int index)
        {
            page.Append("<section id=\"table-").Append(index).Append("\" class=\"results\">\n<h2>").AppendEncoded(table.Title).Append("</h2>\n");
            int verdict = table.VerdictColumn == null ? -1 : IndexOf(table.Columns, table.VerdictColumn);
            List<string[]> rows = table.Rows.Select((row, i) => (row, i))
                .OrderBy(r => verdict < 0 ? 0 : ReportOrdering.VerdictRank(r.row[verdict])).ThenBy(r => r.i).Select(r => r.row).ToList();
            for (int start = 0; start < rows.Count; start += RowsPerPage)
            {
                int end = Math.Min(start + RowsPerPage, rows.Count);
                page.Append("<details class=\"page\"").Append(start == 0 ? " open" : string.Empty).Append("><summary>Rows ").Append(Number(start + 1))
                    .Append("\u2013").Append(Number(end)).Append(" of ").Append(Number(rows.Count)).Append("</summary>\n<table><thead><tr>");
                foreach (string column in table.Columns)
                {
                    page.Append("<th>").AppendEncoded(column).Append("</th>");
                }

                page.Append("</tr></thead>\n<tbody>\n");
                for (int i = start; i < end; i++)
                {
                    page.Append("<tr class=\"result\">");
                    for (int c = 0; c < table.Columns.Count; c++)
                    {
                        string cell = rows[i][c];
                        page.Append(c == verdict ? "<td class=\"verdict\">" : "<td class=\"msg\">").AppendEncoded(cell).Append("</td>");
                    }

                    page.Append("</tr>\n");
                }

                page.Append("</tbody></table>\n</details>\n");
                FlushIfFull();
            }

            page.Append("</section>\n");
        }

        private static List<Timeline> BuildTimelines(List<ReportEvent> events, List<ReportEndpoint> sortedEndpoints)
        {
            // An event belongs to the report with the same computer (remoting), bundle (offline) or endpoint name.
            var reportByKey = new Dictionary<string, ReportEndpoint>(StringComparer.OrdinalIgnoreCase);
            foreach (ReportEndpoint report in sortedEndpoints)
            {
                foreach (string? key in new[] { report.ComputerName, report.Source, report.Endpoint })
                {
                    if (!string.IsNullOrEmpty(key) && !reportByKey.ContainsKey(key!))
                    {
                        reportByKey[key!] = report;
                    }
                }
            }

            var byKey = new Dictionary<string, Timeline>(StringComparer.OrdinalIgnoreCase);
            foreach (ReportEvent e in events)
            {
                if (!byKey.TryGetValue(e.EndpointKey, out Timeline? timeline))
                {
                    reportByKey.TryGetValue(e.EndpointKey, out ReportEndpoint? report);
                    byKey[e.EndpointKey] = timeline = new Timeline(e.EndpointKey, report);
                }

                timeline.Events.Add(e);
            }

            List<Timeline> ordered = byKey.Values
                .OrderBy(t => t.Report == null ? ReportOrdering.StatusRank(null) : ReportOrdering.StatusRank(t.Report.Status))
                .ThenByDescending(t => t.Events.Count(e => e.EventType == DartSyncEventType.SyncProbeError))
                .ThenBy(t => t.Key, StringComparer.OrdinalIgnoreCase)
                .ToList();
            for (int i = 0; i < ordered.Count; i++)
            {
                ordered[i].Number = i + 1;
                ordered[i].Events = ordered[i].Events.Select((e, n) => (e, n)).OrderBy(p => p.e.TimeCreated).ThenBy(p => p.n).Select(p => p.e).ToList();
                ordered[i].Errors = ordered[i].Events.Count(e => e.EventType == DartSyncEventType.SyncProbeError);
            }

            return ordered;
        }

        private static string PostureToken(string? posture) => posture?.Trim().ToUpperInvariant() switch
        {
            "COMPLIANT" => "compliant",
            "NONCOMPLIANT" => "noncompliant",
            "PENDING" => "pending",
            _ => "unknown",
        };

        private static int IndexOf(IReadOnlyList<string> columns, string name)
        {
            for (int i = 0; i < columns.Count; i++)
            {
                if (string.Equals(columns[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// A time that knows its zone is shown in UTC and says so: live and deserialized results carry the writer's local
        /// time, which a colleague elsewhere cannot place. A time read from a log's text (Unspecified) is shown as written.
        /// </summary>
        private static string Time(DateTime time) => time.Kind == DateTimeKind.Unspecified
            ? time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

        private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Count(int value, string noun) => Number(value) + " " + noun + (value == 1 ? string.Empty : "s");

        private static string Fixed(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

        private void FlushIfFull()
        {
            cancellation.ThrowIfCancellationRequested();
            if (page.Length >= FlushAt)
            {
                Flush();
            }
        }

        private void Flush()
        {
            output.Write(page.ToString());
            page.Clear();
        }

        private sealed class Timeline
        {
            public Timeline(string key, ReportEndpoint? report)
            {
                Key = key;
                Report = report;
            }

            public string Key { get; }

            public ReportEndpoint? Report { get; }

            /// <summary>1 for the worst; the page draws those up to <see cref="MaxTimelines"/>.</summary>
            public int Number { get; set; }

            public bool Drawn => Number <= MaxTimelines;

            public List<ReportEvent> Events { get; set; } = new List<ReportEvent>();

            public int Errors { get; set; }
        }
    }
}
