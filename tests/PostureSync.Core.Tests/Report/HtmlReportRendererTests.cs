using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PostureSync.Core.Report;
using Xunit;

namespace PostureSync.Core.Tests.Report
{
    public class HtmlReportRendererTests
    {
        private static readonly HashSet<string> PageTags = new HashSet<string>(StringComparer.Ordinal)
        {
            "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "nav", "a", "main", "section", "svg", "rect",
            "text", "line", "div", "table", "thead", "tbody", "tr", "th", "td", "span", "ul", "li", "br", "small", "details", "summary",
            "input", "select", "option", "footer", "script", "strong",
        };

        private static readonly HashSet<string> PageAttributes = new HashSet<string>(StringComparer.Ordinal)
        {
            "lang", "charset", "http-equiv", "content", "name", "href", "id", "class", "hidden", "type", "placeholder", "aria-label", "value",
            "data-status", "data-key", "data-sort", "open", "width", "height", "viewBox", "role", "x", "y", "x1", "x2", "y1", "y2", "text-anchor",
        };

        internal static string Render(ReportDocument document)
        {
            var writer = new StringWriter();
            HtmlReportRenderer.Render(document, writer);
            return writer.ToString();
        }

        /// <summary>A document whose every value, in every context the page has, is hostile text.</summary>
        internal static ReportDocument HostileDocument()
        {
            var document = new ReportDocument { Title = string.Join(" ", ReportSamples.Hostile), ModuleVersion = ReportSamples.Hostile[1], GeneratedAt = DateTime.UtcNow };
            foreach (string text in ReportSamples.Hostile)
            {
                document.Endpoints.Add(new ReportEndpoint
                {
                    Endpoint = text,
                    Source = text,
                    ComputerName = text + "-via",
                    Status = text,
                    PostureStatus = text,
                    Findings = new[] { $"Log Error: {text} -> {text}", text },
                });
                document.Events.Add(new ReportEvent { EndpointKey = text, TimeCreated = DateTime.Now, EventType = "PostureStatus", Severity = text, PostureStatus = text, Message = text });
                document.Events.Add(new ReportEvent { EndpointKey = text, TimeCreated = DateTime.Now, EventType = text, Severity = text, Message = text });
            }

            var ise = new ReportTable(ReportSamples.Hostile[0], ReportSamples.Hostile, ReportSamples.Hostile[2]);
            ise.Rows.Add(ReportSamples.Hostile);
            document.Tables.Add(ise);
            return document;
        }

        [Fact]
        public void Hostile_text_in_every_context_stays_text_the_page_makes_only_its_own_tags_and_attributes()
        {
            string page = Render(HostileDocument());

            // The page's own style and script (one each, checked below) are not markup: leave their bodies out of the scan.
            string markup = Regex.Replace(page, "<(style|script)>.*?</\\1>", "<$1></$1>", RegexOptions.Singleline);
            foreach (Match tag in Regex.Matches(markup, @"<(/?)([!A-Za-z][A-Za-z0-9-]*)([^>]*)>"))
            {
                Assert.Contains(tag.Groups[2].Value, PageTags);
                foreach (Match attribute in Regex.Matches(tag.Groups[3].Value, @"\s([^\s=]+)(=""([^""]*)"")?"))
                {
                    string name = attribute.Groups[1].Value;
                    if (tag.Groups[2].Value == "!DOCTYPE")
                    {
                        continue;
                    }

                    Assert.Contains(name, PageAttributes);
                    if (name == "href")
                    {
                        Assert.Matches("^#[a-z]+(-[0-9]+)?$", attribute.Groups[3].Value);
                    }

                    if (name == "class" || name == "data-status")
                    {
                        Assert.Matches("^[a-z0-9 -]+$", attribute.Groups[3].Value);
                    }
                }
            }

            Assert.Single(Regex.Matches(page, "<script"));
            Assert.Single(Regex.Matches(page, "</script>"));
            Assert.Single(Regex.Matches(page, "<style"));
            Assert.Single(Regex.Matches(page, "</style>"));
            Assert.Single(Regex.Matches(page.Substring(0, page.IndexOf("</head>", StringComparison.Ordinal)), "<title>"));
            Assert.DoesNotContain("javascript:", page.Replace("javascript:window.__pwned=&#39;url&#39;", string.Empty).Replace("href=&quot;javascript:alert(1)&quot;", string.Empty));
            foreach (string text in ReportSamples.Hostile)
            {
                Assert.DoesNotContain(text, page);
                Assert.Contains(Encode(text), page);
            }
        }

        [Fact]
        public void The_policy_allows_exactly_the_page_s_own_style_and_script_by_hash_and_nothing_else()
        {
            string page = Render(ReportSamples.Fleet(3, 2));
            string policy = Regex.Match(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").Groups[1].Value.Replace("&#39;", "'");
            string style = Regex.Match(page, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
            string script = Regex.Match(page, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;

            Assert.Contains("default-src 'none'", policy);
            Assert.Contains($"style-src '{Sha256(style)}';", policy);
            Assert.Contains($"script-src '{Sha256(script)}';", policy);
            Assert.DoesNotContain("unsafe", policy);
            Assert.DoesNotContain("http", policy);
            Assert.True(page.IndexOf("Content-Security-Policy", StringComparison.Ordinal) < page.IndexOf("<style>", StringComparison.Ordinal), "the policy must come before any content");
        }

        [Fact]
        public void Control_characters_and_lone_surrogates_become_replacement_characters_and_long_values_say_they_were_cut()
        {
            var text = new StringBuilder();
            HtmlText.Append(text, "a\u0000b\u001bc\ud800d\u0085e\tf\ud83d\ude00");
            Assert.Equal("a\ufffdb\ufffdc\ufffdd\ufffde\tf\ud83d\ude00", text.ToString());

            text.Clear();
            HtmlText.Append(text, new string('<', 10), 4);
            Assert.Equal("&lt;&lt;&lt;&lt; \u2026 (6 more characters)", text.ToString());
        }

        [Fact]
        public void Rows_come_worst_first_then_by_failed_checks_one_row_per_report()
        {
            var document = new ReportDocument();
            document.Endpoints.Add(ReportSamples.Endpoint("h1", "Healthy"));
            document.Endpoints.Add(ReportSamples.Endpoint("u1", "Unknown", 1));
            document.Endpoints.Add(ReportSamples.Endpoint("d1", "Degraded", 1));
            document.Endpoints.Add(ReportSamples.Endpoint("x1", "Unhealthy", 1));
            document.Endpoints.Add(ReportSamples.Endpoint("x3", "Unhealthy", 3));
            document.Endpoints.Add(ReportSamples.Endpoint("d2", "degraded", 2));
            document.Endpoints.Add(ReportSamples.Endpoint("odd", "Sideways", 0));

            string page = Render(document);
            string[] names = Regex.Matches(page, "<span class=\"endpoint\">([^<]*)</span>").Select(m => m.Groups[1].Value).ToArray();

            Assert.Equal(new[] { "x3", "x1", "d2", "d1", "u1", "odd", "h1" }, names);
            Assert.Equal(7, Regex.Matches(page, "<tr class=\"report ").Count);
            Assert.Equal(
                new[] { "unhealthy", "unhealthy", "degraded", "degraded", "unknown", "unknown", "healthy" },
                Regex.Matches(page, "<tr class=\"report st-[a-z]+\" data-status=\"([a-z]+)\"").Select(m => m.Groups[1].Value).ToArray());
        }

        [Fact]
        public void Summary_counts_each_status_worst_first_and_the_restarts()
        {
            ReportDocument fleet = ReportSamples.Fleet(500, 0);
            string page = Render(fleet);

            var counts = Regex.Matches(page, "<tr class=\"st-[a-z]+\" data-status=\"([a-z]+)\"><td><span class=\"badge\">[A-Za-z]+</span></td><td class=\"num count\">([0-9,]+)</td>")
                .Select(m => (Status: m.Groups[1].Value, Count: int.Parse(m.Groups[2].Value.Replace(",", string.Empty)))).ToArray();
            Assert.Equal(new[] { "unhealthy", "degraded", "unknown", "healthy" }, counts.Select(c => c.Status).ToArray());
            foreach (var (status, count) in counts)
            {
                Assert.Equal(fleet.Endpoints.Count(e => e.Status.Equals(status, StringComparison.OrdinalIgnoreCase)), count);
            }

            Assert.Contains($"<span id=\"restart-count\">{fleet.Endpoints.Count(e => e.NeedsAgentRestart)}</span>", page);
        }

        [Fact]
        public void Findings_show_their_what_to_do_part_on_its_own()
        {
            var document = new ReportDocument();
            document.Endpoints.Add(ReportSamples.Endpoint("pc", "Unhealthy", 1, true, "Log Error: sync is off -> restart the agent (Restart-PostureAgent)", "free text without the shape"));

            string page = Render(document);

            Assert.Contains("<li><span class=\"check\">Log Error:</span> sync is off<span class=\"todo\">restart the agent (Restart-PostureAgent)</span></li>", page);
            Assert.Contains("<li>free text without the shape</li>", page);
        }

        [Fact]
        public void Long_tables_are_cut_into_collapsible_pages_the_first_open()
        {
            string page = Render(ReportSamples.Fleet((HtmlReportRenderer.RowsPerPage * 2) + 1, 0));

            MatchCollection pages = Regex.Matches(page, "<details class=\"page\"( open)?><summary>Endpoints ([0-9,]+)\u2013([0-9,]+) of 401</summary>");
            Assert.Equal(3, pages.Count);
            Assert.Equal(new[] { " open", string.Empty, string.Empty }, pages.Select(m => m.Groups[1].Value).ToArray());
            Assert.Equal(new[] { "1", "201", "401" }, pages.Select(m => m.Groups[2].Value).ToArray());
            Assert.Equal(401, Regex.Matches(page, "<tr class=\"report ").Count);
        }

        [Fact]
        public void Events_make_one_timeline_per_endpoint_linked_from_its_row_with_marks_bounded_by_the_plot_not_the_event_count()
        {
            var document = new ReportDocument();
            document.Endpoints.Add(ReportSamples.Endpoint("healthy", "Healthy"));
            document.Endpoints.Add(ReportSamples.Endpoint("broken", "Unhealthy", 2));
            var start = new DateTime(2026, 11, 20, 9, 0, 0);
            for (int i = 0; i < 20000; i++)
            {
                document.Events.Add(new ReportEvent { EndpointKey = "/bundles/broken.zip", TimeCreated = start.AddSeconds(i), EventType = i % 2 == 0 ? "SyncProbe" : "SyncProbeError", Message = "m" + i, LineNumber = i });
            }

            document.Events.Add(new ReportEvent { EndpointKey = "/bundles/healthy.zip", TimeCreated = start, EventType = "PostureStatus", PostureStatus = "NonCompliant", Message = "posture" });
            document.Events.Add(new ReportEvent { EndpointKey = "/elsewhere/log.txt", TimeCreated = start, EventType = "DiscoveryRestart", Message = "restart" });

            string page = Render(document);

            string[] timelines = Regex.Matches(page, "<details class=\"timeline page\" id=\"tl-([0-9]+)\"[^>]*><summary>([^<]*) \u2013").Select(m => m.Groups[2].Value).ToArray();
            Assert.Equal(new[] { "/bundles/broken.zip", "/elsewhere/log.txt", "/bundles/healthy.zip" }, timelines);
            Assert.Contains("<span class=\"endpoint\">broken</span><br><small>/bundles/broken.zip, 2026-11-20 09:15:00 UTC</small><br><a href=\"#tl-1\">timeline</a>", page);
            Assert.Contains("<a href=\"#tl-3\">timeline</a>", page);
            Assert.Contains("<rect class=\"ps-noncompliant\"", page);
            Assert.Contains("<rect class=\"ev-restart\"", page);
            int marks = Regex.Matches(page, "<rect class=\"(ev|ps)-").Count;
            Assert.InRange(marks, 3, 3 + (2 * 820 / 4));
            Assert.Equal(HtmlReportRenderer.MaxListedEvents + 2, Regex.Matches(page, "<tr><td>2026-11-20").Count);
            Assert.Contains("<summary>The latest 100 of 20,000 events</summary>\n<p class=\"note\">The 19,900 earlier events are not listed; the plot above counts them.</p>", page);
            string[] listed = Regex.Matches(page, "<td class=\"msg\">(m[0-9]+)</td>").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(Enumerable.Range(20000 - HtmlReportRenderer.MaxListedEvents, HtmlReportRenderer.MaxListedEvents).Select(i => "m" + i), listed);
        }

        [Fact]
        public void Past_the_cap_only_the_worst_timelines_are_drawn_and_a_note_counts_the_rest_by_status()
        {
            int fleet = HtmlReportRenderer.MaxTimelines * 3;
            ReportDocument document = ReportSamples.Fleet(fleet, 3);
            document.Events.Add(new ReportEvent { EndpointKey = "/elsewhere/log.txt", TimeCreated = new DateTime(2026, 11, 20, 9, 0, 0), EventType = "SyncProbe", Message = "no report" });

            string page = Render(document);

            string[] drawn = Regex.Matches(page, "<details class=\"timeline page\" id=\"tl-([0-9]+)\"[^>]*><summary>/bundles/([^<]*)\\.zip \u2013").Select(m => m.Groups[2].Value).ToArray();
            Assert.Equal(HtmlReportRenderer.MaxTimelines, drawn.Length);
            Assert.DoesNotContain("<summary>/elsewhere/log.txt \u2013", page);
            int[] ranks = drawn.Select(name => ReportOrdering.StatusRank(document.Endpoints.Single(e => e.Endpoint == name).Status)).ToArray();
            int worstLeftOut = document.Endpoints.Where(e => !drawn.Contains(e.Endpoint)).Min(e => ReportOrdering.StatusRank(e.Status));
            Assert.True(ranks.Max() <= worstLeftOut, "a timeline left out is worse than one drawn");
            Assert.Equal(ranks.OrderBy(r => r), ranks);

            var leftOut = document.Endpoints.Where(e => !drawn.Contains(e.Endpoint)).GroupBy(e => ReportOrdering.StatusName(e.Status))
                .OrderBy(g => ReportOrdering.StatusRank(g.Key)).Select(g => $"{g.Count()} {g.Key}").Append("1 without a health report");
            Assert.Contains($"<p class=\"note\" id=\"timelines-not-drawn\"><strong>{fleet + 1 - HtmlReportRenderer.MaxTimelines} more timelines are not drawn</strong>, to keep the page quick to open: {string.Join(", ", leftOut)}.", page);
            Assert.Equal(fleet - HtmlReportRenderer.MaxTimelines, Regex.Matches(page, "<br><small>3 events, 1 sync probe error; timeline not drawn</small>").Count);
            Assert.Equal(HtmlReportRenderer.MaxTimelines, Regex.Matches(page, "<a href=\"#tl-[0-9]+\">timeline</a>").Count);
            Assert.DoesNotContain($"id=\"tl-{HtmlReportRenderer.MaxTimelines + 1}\"", page);
        }

        [Fact]
        public void Up_to_the_cap_every_timeline_is_drawn_with_no_note()
        {
            string page = Render(ReportSamples.Fleet(HtmlReportRenderer.MaxTimelines, 3));

            Assert.Equal(HtmlReportRenderer.MaxTimelines, Regex.Matches(page, "<details class=\"timeline page\"").Count);
            Assert.DoesNotContain("timelines-not-drawn", page);
            Assert.DoesNotContain("timeline not drawn", page);
        }

        [Fact]
        public void Result_tables_put_failures_first_and_count_verdicts()
        {
            var document = new ReportDocument();
            var table = new ReportTable("Port tests", new[] { "TargetName", "Verdict" }, "Verdict");
            table.Rows.Add(new[] { "a", "Pass" });
            table.Rows.Add(new[] { "b", "Fail" });
            table.Rows.Add(new[] { "c", "Info" });
            table.Rows.Add(new[] { "d", "Fail" });
            document.Tables.Add(table);

            string page = Render(document);

            string[] order = Regex.Matches(page, "<tr class=\"result\"><td class=\"msg\">([a-d])</td>").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(new[] { "b", "d", "a", "c" }, order);
            Assert.Contains("<tr><td>Fail</td><td class=\"num\">2</td></tr>", page);
        }

        [Fact]
        public void The_footer_gives_the_check_times_and_the_module_version()
        {
            var document = new ReportDocument { ModuleVersion = "1.2.3" };
            document.Endpoints.Add(ReportSamples.Endpoint("a", "Healthy"));
            var later = ReportSamples.Endpoint("b", "Healthy");
            later.CheckedAt = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
            document.Endpoints.Add(later);

            string page = Render(document);

            Assert.Contains("Checked at <span id=\"checked-at\">2026-11-20 09:15:00 UTC to 2026-11-20 10:00:00 UTC</span>", page);
            Assert.Contains("<span id=\"module-version\">1.2.3</span>", page);
        }

        [Fact]
        public void Times_that_know_their_zone_are_shown_in_utc_and_log_times_as_written()
        {
            var document = new ReportDocument();
            ReportEndpoint local = ReportSamples.Endpoint("a", "Healthy");
            var checkedAt = new DateTime(2026, 11, 20, 9, 15, 0, DateTimeKind.Utc);
            local.CheckedAt = checkedAt.ToLocalTime();
            document.Endpoints.Add(local);
            document.Events.Add(new ReportEvent { EndpointKey = "/bundles/a.zip", TimeCreated = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Unspecified), EventType = "SyncProbe" });

            string page = Render(document);

            Assert.Contains("Checked at <span id=\"checked-at\">2026-11-20 09:15:00 UTC</span>", page);
            Assert.Contains("<tr><td>2026-11-20 08:00:00</td><td>SyncProbe</td>", page);
        }

        internal static string Sha256(string text)
        {
            using var sha = SHA256.Create();
            return "sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }

        private static string Encode(string text) =>
            text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
    }
}
