using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Xml;

namespace PostureSync.Core.AgentLog
{
    /// <summary>The fields of one event log record that make an agent event; recorded fields stand in for it in tests.</summary>
    internal interface IEventLogRecord
    {
        string LogName { get; }

        string ProviderName { get; }

        DateTime TimeCreatedUtc { get; }

        /// <summary>The record's level: 1 Critical, 2 Error, 3 Warning, 4 Information (0 for classic events too), 5 Verbose.</summary>
        int Level { get; }

        /// <summary>The EventData &lt;Data&gt; values; a classic record holds the agent's whole line in the first.</summary>
        IReadOnlyList<string> Data { get; }
    }

    /// <summary>
    /// Windows: the classic event logs <c>Cisco Secure Client - ISE Posture</c> (Secure Client 5) and
    /// <c>Cisco AnyConnect ISE Posture Module</c> (AnyConnect 4, and the Secure Client 5.0 seed), whichever exist, read
    /// in that order [seen: Secure Client 5.1 DART exports both]. Each record becomes the line DART's export writes
    /// (<c>YYYY/MM/DD HH:MM:SS [Severity] provider Function: … :: message</c>), so it is parsed as a DART line.
    /// <para>
    /// The API is <c>wevtutil qe &lt;log&gt; /f:xml /e:Events [/q:…]</c>, found on PATH (it ships in System32 on
    /// every Windows since Vista). Why not an in-process API: System.Diagnostics.Eventing.Reader is not in the
    /// netstandard2.0 reference set (it ships in .NET Framework and as a separate package for .NET), so using it would
    /// need a second build or an extra DLL; P/Invoke to wevtapi.dll would work in both PowerShell editions but is
    /// several hundred lines that no machine here can run. wevtutil gives the same records in both editions with
    /// nothing extra, is bounded and cancellable like journalctl and log, and a stub can stand in for it in tests.
    /// The message text is taken from EventData, not from the provider's message DLL, which classic records with
    /// the text in their data do not need [inferred from the AnyConnect VPN log's record shape, LIVE-LOGS.md §1.1].
    /// Its redirected output is read as UTF-8, a byte-order mark (UTF-16 or UTF-8) honoured [inferred: not run here];
    /// the fields parsed are ASCII, so another encoding could garble only non-ASCII message text.
    /// Not run on a real Windows machine here.
    /// </para>
    /// </summary>
    internal sealed class WindowsEventLogSource : ILiveLogSource
    {
        public static readonly IReadOnlyList<string> LogNames = new[] { "Cisco Secure Client - ISE Posture", "Cisco AnyConnect ISE Posture Module" };

        private const string EventNamespace = "http://schemas.microsoft.com/win/2004/08/events/event";
        private const int ChannelNotFound = 15007; // ERROR_EVT_CHANNEL_NOT_FOUND
        private const int AccessDenied = 5;
        private const string ElevatedAdvice = "run PowerShell as Administrator (or the scheduled task as SYSTEM)";

        private readonly LogTool tools;
        private readonly LiveLogLimits limits;

        public WindowsEventLogSource(LogTool tools, LiveLogLimits limits)
        {
            this.tools = tools;
            this.limits = limits;
        }

        public string Name => "eventlog:" + LogNames[0];

        public static IReadOnlyList<string> Arguments(string logName, DateTime? since)
        {
            var arguments = new List<string> { "qe", logName, "/f:xml", "/e:Events" };
            if (since.HasValue)
            {
                string utc = since.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                arguments.Add("/q:*[System[TimeCreated[@SystemTime>='" + utc + "']]]");
            }

            return arguments;
        }

        /// <summary>The line DART's export writes for a record: local time, the level's name, the provider, the text.</summary>
        public static string ToDartLine(IEventLogRecord record)
        {
            string text = record.Data.Count > 0 ? string.Join(" ", record.Data) : string.Empty;
            string provider = record.ProviderName.Length > 0 ? record.ProviderName.Replace(' ', '_') : "aciseagent";
            return record.TimeCreatedUtc.ToLocalTime().ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture)
                + " [" + LevelName(record.Level) + "] " + provider + " " + text;
        }

        /// <summary>The event log's own names for its levels, as DART writes them between brackets.</summary>
        public static string LevelName(int level) => level switch
        {
            1 => "Critical",
            2 => "Error",
            3 => "Warning",
            5 => "Verbose",
            _ => "Information",
        };

        /// <summary>The records of wevtutil's XML output (<c>/f:xml /e:Events</c>), streamed.</summary>
        public static IEnumerable<IEventLogRecord> ParseRecords(System.IO.TextReader xml, string logName)
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, IgnoreComments = true };
            using XmlReader reader = XmlReader.Create(xml, settings);
            while (reader.ReadToFollowing("Event", EventNamespace))
            {
                using XmlReader one = reader.ReadSubtree();
                yield return ReadRecord(one, logName);
            }
        }

        public IEnumerable<string> ReadLines(DateTime? since, CancellationToken cancellation)
        {
            string? wevtutil = tools.Find("wevtutil");
            if (wevtutil is null)
            {
                throw LiveLogErrors.NotFound(Name, "wevtutil is not on PATH (it ships in %SystemRoot%\\System32)", "put %SystemRoot%\\System32 on PATH; or " + LiveLogErrors.DartAdvice + ".");
            }

            int records = 0;
            var missing = new List<string>();
            foreach (string logName in LogNames)
            {
                using LogToolRun run = tools.Start(wevtutil, Arguments(logName, since), limits, cancellation);
                var lines = new List<string>();
                bool malformed = false;
                using (IEnumerator<IEventLogRecord> parsed = ParseRecords(run.Output, logName).GetEnumerator())
                {
                    while (true)
                    {
                        try
                        {
                            if (!parsed.MoveNext())
                            {
                                break;
                            }
                        }
                        catch (XmlException)
                        {
                            // A log that does not exist prints its error on stderr and nothing on stdout: judged below.
                            malformed = true;
                            break;
                        }

                        records++;
                        yield return ToDartLine(parsed.Current);
                    }
                }

                (int exitCode, string errors) = run.Finish();
                if (exitCode == ChannelNotFound || errors.IndexOf("channel could not be found", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    missing.Add(logName);
                }
                else if (exitCode == AccessDenied || errors.IndexOf("Access is denied", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw LiveLogErrors.Denied("eventlog:" + logName, "access is denied", ElevatedAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
                }
                else if (exitCode != 0 || (malformed && records == 0 && errors.Length > 0))
                {
                    throw LiveLogErrors.Unreadable("eventlog:" + logName, $"wevtutil ended with exit code {exitCode.ToString(CultureInfo.InvariantCulture)}" + (errors.Length > 0 ? " (" + errors.Split('\n')[0].Trim() + ")" : string.Empty), ElevatedAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
                }
            }

            if (missing.Count == LogNames.Count)
            {
                throw LiveLogErrors.NotFound(Name, "neither event log exists ('" + string.Join("', '", LogNames) + "')", "check that the ISE posture module of Secure Client or AnyConnect is installed; or " + LiveLogErrors.DartAdvice + ".");
            }

            if (records == 0)
            {
                string window = since.HasValue ? " since " + LiveLogErrors.ToolTime(since.Value) : string.Empty;
                throw LiveLogErrors.NotFound(Name, "the ISE posture event log holds no records" + window + " (DART's 'Clear logs' empties it)", "let the posture module run, then check again; " + ElevatedAdvice + "; or " + LiveLogErrors.DartAdvice + ".");
            }
        }

        private static IEventLogRecord ReadRecord(XmlReader reader, string logName)
        {
            var record = new RecordedEvent { LogName = logName };
            var data = new List<string>();
            bool onNext = false; // reading an element's content leaves the reader on the node after it
            while (onNext || reader.Read())
            {
                onNext = false;
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "Provider":
                        record.ProviderName = reader.GetAttribute("Name") ?? string.Empty;
                        break;
                    case "Level":
                        record.Level = int.TryParse(reader.ReadElementContentAsString(), NumberStyles.None, CultureInfo.InvariantCulture, out int level) ? level : 4;
                        onNext = true;
                        break;
                    case "TimeCreated":
                        string? time = reader.GetAttribute("SystemTime");
                        if (time != null && DateTime.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime utc))
                        {
                            record.TimeCreatedUtc = utc;
                        }

                        break;
                    case "Channel":
                        string channel = reader.ReadElementContentAsString();
                        record.LogName = channel.Length > 0 ? channel : logName;
                        onNext = true;
                        break;
                    case "Data":
                        data.Add(reader.ReadElementContentAsString());
                        onNext = true;
                        break;
                }
            }

            record.Data = data;
            return record;
        }

        /// <summary>A record as read from wevtutil's XML (and, in tests, as recorded).</summary>
        internal sealed class RecordedEvent : IEventLogRecord
        {
            public string LogName { get; set; } = string.Empty;

            public string ProviderName { get; set; } = string.Empty;

            public DateTime TimeCreatedUtc { get; set; }

            public int Level { get; set; } = 4;

            public IReadOnlyList<string> Data { get; set; } = Array.Empty<string>();
        }
    }
}
