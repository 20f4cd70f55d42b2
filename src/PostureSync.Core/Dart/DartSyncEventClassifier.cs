using System;
using System.Globalization;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Gives a record its <see cref="DartSyncEventTypes"/> from the logging function (DOMAIN.md §5), and reads the
    /// posture status and URL out of the messages that carry them.
    /// </summary>
    internal static class DartSyncEventClassifier
    {
        private const int PostureStatusCode = 0;
        private const int SyncProbeControlCode = 1;
        private const int SyncProbeCode = 2;
        private const int SyncProbeErrorCode = 3;
        private const int HttpRequestCode = 4;
        private const int HttpHeadersCode = 5;
        private const int DiscoveryRestartCode = 6;
        private const int DiscoveryCode = 7;
        private const int TransportCode = 8;
        private const int ConfigLoadedCode = 9;

        private static readonly string[] StatusWords = { "Compliant", "Unknown", "Pending" };

        internal static bool IsPostureStatus(int code) => code == PostureStatusCode;

        internal static bool IsHttpRequest(int code) => code == HttpRequestCode;

        /// <summary>The type code (index into the vocabulary) of a parsed record line.</summary>
        public static int Classify(PostureLogLine record)
        {
            if (record.FunctionStart < 0)
            {
                return DartSyncEventTypes.OtherCode;
            }

            if (record.MethodIs("sendUIStatus"))
            {
                return PostureStatusCode;
            }

            if (record.MethodIs("sessionSyncProbe"))
            {
                return record.SeverityIs("Error") || record.LevelIs("error") ? SyncProbeErrorCode : SyncProbeCode;
            }

            if (record.MethodIs("ProcessMessage")
                && (record.HasClass ? record.ClassIs("PeriodicProbe") : record.SourceFileIs("PeriodicProbe.cpp")))
            {
                return SyncProbeControlCode;
            }

            if (record.MethodIs("MakeRequest"))
            {
                return HttpRequestCode;
            }

            if (record.MethodIs("dump_http_headers"))
            {
                return HttpHeadersCode;
            }

            if (record.MethodIs("restartDiscovery"))
            {
                return DiscoveryRestartCode;
            }

            if (record.MethodStartsWith("hs_transport_"))
            {
                return TransportCode;
            }

            if (record.MethodIs("loadXMLCfgFile"))
            {
                return ConfigLoadedCode;
            }

            // Bare names (macOS) lose the class; the source file is the only trace of SwiftHttpRunner left [inferred].
            // collectNoMntTargets (redirectionless discovery's targets) is named too, as the real macOS lines show it.
            if (record.MethodIs("collectNoMntTargets")
                || (record.HasClass ? record.ClassIs("SwiftHttpRunner") : record.SourceFileIs("SwiftHttpRunner.cpp")))
            {
                return DiscoveryCode;
            }

            return DartSyncEventTypes.OtherCode;
        }

        /// <summary>
        /// The posture status a message names as a value: the words Compliant, NonCompliant (also Non-Compliant,
        /// Non Compliant), Unknown, Pending in any case, standing alone. A word followed by ':' or '=' is a field name,
        /// not a value: the macOS <c>MSG_SU_STEP_STATUS, {Status:6,Compliant:3,...}</c> holds numeric codes whose
        /// meaning is not public, so it yields null. When several statuses are named ("from Unknown to Compliant"),
        /// the last one wins, as messages name the new state last [inferred].
        /// </summary>
        public static string? PostureStatusOf(string message)
        {
            string? found = null;
            int foundAt = -1;
            foreach (string word in StatusWords)
            {
                int from = 0;
                while (from < message.Length)
                {
                    int at = CultureInfo.InvariantCulture.CompareInfo.IndexOf(message, word, from, CompareOptions.OrdinalIgnoreCase);
                    if (at < 0)
                    {
                        break;
                    }

                    from = at + word.Length;
                    if (!EndsWord(message, from))
                    {
                        continue;
                    }

                    string? status = word;
                    int wordStart = at;
                    if (at > 0 && char.IsLetterOrDigit(message[at - 1]))
                    {
                        wordStart = NonPrefixStart(message, at);
                        if (word != "Compliant" || wordStart < 0)
                        {
                            continue;
                        }

                        status = "NonCompliant";
                    }
                    else if (word == "Compliant" && NonPrefixStart(message, at) is int nonStart && nonStart >= 0)
                    {
                        wordStart = nonStart;
                        status = "NonCompliant";
                    }

                    if (wordStart > foundAt)
                    {
                        found = status;
                        foundAt = wordStart;
                    }
                }
            }

            return found;
        }

        /// <summary>The first http(s) URL in a message, with its explicit or default port.</summary>
        public static bool TryFindUrl(string message, out string? url, out int? port)
        {
            url = null;
            port = null;
            int from = 0;
            while (from < message.Length)
            {
                int at = message.IndexOf("://", from, StringComparison.Ordinal);
                if (at < 0)
                {
                    return false;
                }

                from = at + 3;
                int start = at;
                while (start > 0 && char.IsLetter(message[start - 1]))
                {
                    start--;
                }

                string scheme = message.Substring(start, at - start);
                if (!scheme.Equals("https", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                int end = from;
                while (end < message.Length && !EndsUrl(message[end]))
                {
                    end++;
                }

                while (end > from && ".,;:)]".IndexOf(message[end - 1]) >= 0)
                {
                    end--;
                }

                string candidate = message.Substring(start, end - start);
                if (Uri.TryCreate(candidate, UriKind.Absolute, out Uri? uri) && uri.Host.Length > 0)
                {
                    url = candidate;
                    port = uri.Port;
                    return true;
                }
            }

            return false;
        }

        private static bool EndsUrl(char c) => char.IsWhiteSpace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';

        private static bool EndsWord(string message, int end) =>
            end >= message.Length || (!char.IsLetterOrDigit(message[end]) && message[end] != ':' && message[end] != '=' && message[end] != '_');

        /// <summary>Start of a "non", "non-", "non_" or "non " directly before the word, if it stands as a word start; else -1.</summary>
        private static int NonPrefixStart(string message, int wordAt)
        {
            int nonEnd = wordAt;
            if (nonEnd > 0 && (message[nonEnd - 1] == '-' || message[nonEnd - 1] == '_' || message[nonEnd - 1] == ' '))
            {
                nonEnd--;
            }

            int nonStart = nonEnd - 3;
            if (nonStart < 0 || string.Compare(message, nonStart, "non", 0, 3, StringComparison.OrdinalIgnoreCase) != 0)
            {
                return -1;
            }

            return nonStart == 0 || !char.IsLetterOrDigit(message[nonStart - 1]) ? nonStart : -1;
        }
    }
}
