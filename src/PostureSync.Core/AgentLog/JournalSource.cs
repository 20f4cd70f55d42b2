using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using PostureSync.Core.Dart;

namespace PostureSync.Core.AgentLog
{
    /// <summary>
    /// Linux: the systemd journal through exactly <c>journalctl --no-pager -o json -t csc_iseagentd [--since …]</c>,
    /// and when there is no journal (no journalctl, or "No journal files were found"), the lines of that identifier in
    /// /var/log/syslog (Debian, Ubuntu) or /var/log/messages (RHEL). The agent logs through syslog(3) with the
    /// program name as its identifier [seen: the 5.1.11 binary's openlog/syslog calls; the identifier is inferred].
    /// Each journal entry becomes a syslog line (<c>ISO-time localhost csc_iseagentd[pid]: MESSAGE</c>).
    /// </summary>
    internal sealed class JournalSource : ILiveLogSource
    {
        public const string Identifier = "csc_iseagentd";
        private const string RootAdvice = "run as root (sudo), or as a member of the systemd-journal or adm group";

        private readonly LogTool tools;
        private readonly LiveLogLimits limits;
        private readonly IReadOnlyList<string> syslogFiles;
        private string name = "journal:" + Identifier;

        public JournalSource(LogTool tools, LiveLogLimits limits, IReadOnlyList<string> syslogFiles)
        {
            this.tools = tools;
            this.limits = limits;
            this.syslogFiles = syslogFiles;
        }

        public string Name => name;

        /// <summary>The arguments, exactly: <c>--no-pager -o json -t csc_iseagentd [--since "YYYY-MM-DD HH:MM:SS"]</c>.</summary>
        public static IReadOnlyList<string> Arguments(DateTime? since)
        {
            var arguments = new List<string> { "--no-pager", "-o", "json", "-t", Identifier };
            if (since.HasValue)
            {
                arguments.Add("--since");
                arguments.Add(LiveLogErrors.ToolTime(since.Value));
            }

            return arguments;
        }

        /// <summary>One journal entry (a line of <c>journalctl -o json</c>) as a syslog line; null for anything else.</summary>
        public static string? ToSyslogLine(string json)
        {
            Dictionary<string, string>? entry = JsonRecord.Parse(json);
            if (entry is null || !entry.TryGetValue("MESSAGE", out string? message)
                || !entry.TryGetValue("__REALTIME_TIMESTAMP", out string? micros)
                || !long.TryParse(micros, NumberStyles.None, CultureInfo.InvariantCulture, out long since1970)
                || since1970 / 1000 > 253402300799000L)
            {
                return null;
            }

            DateTime local = DateTimeOffset.FromUnixTimeMilliseconds(since1970 / 1000).AddTicks(since1970 % 1000 * 10).LocalDateTime;
            string identifier = entry.TryGetValue("SYSLOG_IDENTIFIER", out string? id) && id.Length > 0 ? id : Identifier;
            string pid = entry.TryGetValue("_PID", out string? p) ? "[" + p + "]" : string.Empty;
            return local.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + " localhost " + identifier + pid + ": " + message;
        }

        public IEnumerable<string> ReadLines(DateTime? since, CancellationToken cancellation)
        {
            string? journalctl = tools.Find("journalctl");
            if (journalctl is null)
            {
                return ReadSyslogFiles("journalctl is not on PATH", cancellation);
            }

            return ReadJournal(journalctl, since, cancellation);
        }

        private IEnumerable<string> ReadJournal(string journalctl, DateTime? since, CancellationToken cancellation)
        {
            name = "journal:" + Identifier;
            int entries = 0;
            bool noJournal = false;
            using (LogToolRun run = tools.Start(journalctl, Arguments(since), limits, cancellation))
            {
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
                if (entries == 0)
                {
                    if (errors.IndexOf("No journal files were found", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        noJournal = true;
                    }
                    else if (errors.IndexOf("insufficient permissions", StringComparison.OrdinalIgnoreCase) >= 0 || errors.IndexOf("ermission denied", StringComparison.Ordinal) >= 0)
                    {
                        throw LiveLogErrors.Denied(name, "journalctl may not read the system journal as this user (" + FirstLine(errors) + ")", RootAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
                    }
                    else if (exitCode != 0)
                    {
                        throw LiveLogErrors.Unreadable(name, $"journalctl ended with exit code {exitCode}" + (errors.Length > 0 ? " (" + FirstLine(errors) + ")" : string.Empty), RootAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
                    }
                    else
                    {
                        string window = since.HasValue ? " since " + LiveLogErrors.ToolTime(since.Value) : string.Empty;
                        throw LiveLogErrors.NotFound(name, $"the journal holds no lines of {Identifier}{window}", "check that the ISE posture module is installed and running (the agent logs only while it runs); " + RootAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
                    }
                }
            }

            if (noJournal)
            {
                foreach (string line in ReadSyslogFiles("journalctl found no journal files", cancellation))
                {
                    yield return line;
                }
            }
        }

        /// <summary>
        /// The identifier's lines of the first syslog file that exists; of a file larger than the cap only the newest
        /// part (its end) is read. Opened for shared reading, so the logger is never blocked.
        /// </summary>
        private IEnumerable<string> ReadSyslogFiles(string whyNoJournal, CancellationToken cancellation)
        {
            string? file = null;
            foreach (string candidate in syslogFiles)
            {
                if (File.Exists(candidate))
                {
                    file = candidate;
                    break;
                }
            }

            if (file is null)
            {
                name = "journal:" + Identifier;
                throw LiveLogErrors.NotFound(name, $"{whyNoJournal}, and there is no {string.Join(" or ", syslogFiles)}", LiveLogErrors.DartAdvice + ".");
            }

            name = file;
            FileStream stream;
            try
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw LiveLogErrors.Denied(file, ex.Message, RootAdvice + "; or " + LiveLogErrors.DartAdvice + ".", ex);
            }
            catch (IOException ex)
            {
                throw LiveLogErrors.Unreadable(file, ex.Message, LiveLogErrors.DartAdvice + ".", ex);
            }

            int found = 0;
            using (stream)
            {
                bool partial = stream.Length > limits.MaxChars;
                if (partial)
                {
                    stream.Seek(-limits.MaxChars, SeekOrigin.End);
                }

                var lines = new LineSource(new StreamReader(stream, new UTF8Encoding(false, false), true, 1 << 16));
                long seen = 0;
                while (lines.Next())
                {
                    if (++seen % 1024 == 0)
                    {
                        cancellation.ThrowIfCancellationRequested();
                    }

                    if (partial || lines.ContinuesLine)
                    {
                        partial = false; // the first line after the seek is cut: skip it
                        continue;
                    }

                    if (Contains(lines.Buffer, lines.LineStart, lines.LineLength, Identifier))
                    {
                        found++;
                        yield return new string(lines.Buffer, lines.LineStart, lines.LineLength);
                    }
                }
            }

            if (found == 0)
            {
                throw LiveLogErrors.NotFound(file, $"{whyNoJournal}, and {file} holds no line of {Identifier}", "check that the ISE posture module is installed and running; or " + LiveLogErrors.DartAdvice + ".");
            }
        }

        private static bool Contains(char[] buffer, int start, int length, string value)
        {
            int last = start + length - value.Length;
            for (int i = start; i <= last; i++)
            {
                int j = 0;
                while (j < value.Length && buffer[i + j] == value[j])
                {
                    j++;
                }

                if (j == value.Length)
                {
                    return true;
                }
            }

            return false;
        }

        private static string FirstLine(string text)
        {
            int newline = text.IndexOf('\n');
            return (newline < 0 ? text : text.Substring(0, newline)).Trim();
        }
    }
}
