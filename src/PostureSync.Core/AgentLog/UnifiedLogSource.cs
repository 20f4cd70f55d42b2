using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using PostureSync.Core.Dart;

namespace PostureSync.Core.AgentLog
{
    /// <summary>
    /// macOS: the unified log through <c>log show --style ndjson --predicate 'process BEGINSWITH "csc_ise" OR process
    /// BEGINSWITH "aciseagent"' --info --debug --start …</c>. DART collects the agent's log the same way (by process,
    /// as there is no ISE subsystem) [seen: Secure Client 5.1 DART configuration]; the agent's syslog(3) lines land
    /// there at the Default level [inferred]. Each entry becomes a syslog line (<c>time localhost process[pid]: message</c>).
    /// Not run on a real Mac here: the ndjson field names (timestamp, eventMessage, processImagePath, processID,
    /// eventType) are those of log(1)'s JSON styles [inferred from its documentation, not seen in a recorded output].
    /// </summary>
    internal sealed class UnifiedLogSource : ILiveLogSource
    {
        public const string Predicate = "process BEGINSWITH \"csc_ise\" OR process BEGINSWITH \"aciseagent\"";
        private const string RootAdvice = "run as root (sudo), as log show needs it for the full log";

        private readonly LogTool tools;
        private readonly LiveLogLimits limits;

        public UnifiedLogSource(LogTool tools, LiveLogLimits limits)
        {
            this.tools = tools;
            this.limits = limits;
        }

        public string Name => "unifiedlog:csc_ise*";

        public static IReadOnlyList<string> Arguments(DateTime since) => new[]
        {
            "show", "--style", "ndjson", "--predicate", Predicate, "--info", "--debug", "--start", LiveLogErrors.ToolTime(since),
        };

        /// <summary>One ndjson entry as a syslog line; null for anything else (other event types, summary lines).</summary>
        public static string? ToSyslogLine(string json)
        {
            Dictionary<string, string>? entry = JsonRecord.Parse(json);
            if (entry is null || !entry.TryGetValue("eventMessage", out string? message) || !entry.TryGetValue("timestamp", out string? time)
                || (entry.TryGetValue("eventType", out string? type) && type != "logEvent"))
            {
                return null;
            }

            // "2024-02-14 00:12:18.123456-0800": the endpoint's wall clock with its offset, as the syslog reader takes it.
            if (time.Length < 19 || time[4] != '-' || (time[10] != ' ' && time[10] != 'T'))
            {
                return null;
            }

            string process = entry.TryGetValue("processImagePath", out string? image) && image.Length > 0
                ? image.Substring(image.LastIndexOf('/') + 1)
                : entry.TryGetValue("process", out string? named) ? named : "unknown";
            string pid = entry.TryGetValue("processID", out string? p) && p.Length > 0 ? "[" + p + "]" : string.Empty;
            return time + " localhost " + process + pid + ": " + message;
        }

        public IEnumerable<string> ReadLines(DateTime? since, CancellationToken cancellation)
        {
            string? log = tools.Find("log");
            if (log is null)
            {
                throw LiveLogErrors.NotFound(Name, "the log tool (/usr/bin/log) is not on PATH", "run on macOS with /usr/bin on PATH; or " + LiveLogErrors.DartAdvice + ".");
            }

            DateTime start = since ?? DateTime.Now - LiveLogSources.UnifiedLogDefaultWindow;
            int entries = 0;
            using LogToolRun run = tools.Start(log, Arguments(start), limits, cancellation);
            var lines = new LineSource(run.Output);
            while (lines.Next())
            {
                if (lines.ContinuesLine)
                {
                    continue;
                }

                string? line = ToSyslogLine(new string(lines.Buffer, lines.LineStart, lines.LineLength));
                if (line != null)
                {
                    entries++;
                    yield return line;
                }
            }

            (int exitCode, string errors) = run.Finish();
            if (entries > 0)
            {
                yield break;
            }

            if (exitCode != 0)
            {
                bool denied = errors.IndexOf("admin", StringComparison.OrdinalIgnoreCase) >= 0 || errors.IndexOf("ermission", StringComparison.Ordinal) >= 0;
                string what = $"log show ended with exit code {exitCode.ToString(CultureInfo.InvariantCulture)}" + (errors.Length > 0 ? " (" + errors.Split('\n')[0].Trim() + ")" : string.Empty);
                throw denied
                    ? LiveLogErrors.Denied(Name, what, RootAdvice + "; or " + LiveLogErrors.DartAdvice + ".")
                    : LiveLogErrors.Unreadable(Name, what, RootAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
            }

            throw LiveLogErrors.NotFound(Name, "the unified log holds no entries of csc_ise* or aciseagent* since " + LiveLogErrors.ToolTime(start), "check that the ISE posture module is installed and running; " + RootAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
        }
    }
}
