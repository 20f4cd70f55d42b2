using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using PostureSync.Core.Dart;

namespace PostureSync.Core.Nad
{
    /// <summary>Session detail output from a file or a text, bounded, as <see cref="NadSession"/> objects.</summary>
    internal static class NadSessionReader
    {
        /// <summary>A whole stack's <c>show access-session details</c> is a few MB; anything larger is not session output.</summary>
        public const long MaxBytes = 64L * 1024 * 1024;

        private static readonly char[] LineEnds = { '\r', '\n' };

        /// <summary>Every session in the file; ErrorIds NadSessionPathIsFolder, NadSessionTooLarge, NadSessionReadFailed.</summary>
        public static IEnumerable<NadSession> ReadFile(string path, NadSessionParser parser)
        {
            if (Directory.Exists(path))
            {
                throw new PostureSyncException(ErrorIds.NadSessionPathIsFolder, FailureKind.InvalidArgument, $"'{path}' is a folder, not a file of session output.", path)
                {
                    RecommendedAction = "Pass the file that holds the 'show access-session … details' output, or a wildcard such as *.txt.",
                };
            }

            FileStream stream;
            try
            {
                stream = DartBundle.OpenShared(path);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.NadSessionReadFailed, path, ex);
            }

            using (stream)
            {
                if (stream.Length > MaxBytes)
                {
                    throw TooLarge(path, stream.Length);
                }

                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var lines = new LineSource(reader);
                while (true)
                {
                    bool more;
                    try
                    {
                        more = lines.Next();
                    }
                    catch (Exception ex) when (IoFailures.IsIoFailure(ex))
                    {
                        throw IoFailures.Read(ErrorIds.NadSessionReadFailed, path, ex);
                    }

                    if (!more)
                    {
                        break;
                    }

                    if (lines.ContinuesLine)
                    {
                        continue;
                    }

                    NadSession? session = parser.Push(new string(lines.Buffer, lines.LineStart, Math.Min(lines.LineLength, NadSessionParser.MaxLineLength)));
                    if (session != null)
                    {
                        yield return session;
                    }
                }

                NadSession? last = parser.Finish();
                if (last != null)
                {
                    yield return last;
                }
            }
        }

        /// <summary>Every session in a text (lines end in CRLF, LF or CR).</summary>
        public static IEnumerable<NadSession> ReadText(string text, NadSessionParser parser)
        {
            if (text.Length > MaxBytes)
            {
                throw TooLarge("-Content", text.Length);
            }

            int start = 0;
            while (start <= text.Length)
            {
                int end = text.IndexOfAny(LineEnds, start);
                int stop = end < 0 ? text.Length : end;
                NadSession? session = parser.Push(text.Substring(start, Math.Min(stop - start, NadSessionParser.MaxLineLength)));
                if (session != null)
                {
                    yield return session;
                }

                if (end < 0)
                {
                    break;
                }

                start = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
            }

            NadSession? last = parser.Finish();
            if (last != null)
            {
                yield return last;
            }
        }

        /// <summary>The one error for a text that held no session, saying what it looked like instead.</summary>
        public static PostureSyncException NotFound(string source, NadSessionParser parser)
        {
            string what = parser.SawBinary
                ? "is not text (it holds NUL characters)"
                : parser.SawSummaryTable
                    ? "holds the one-line summary table of 'show access-session', which names no ACS ACL"
                    : "holds no switch session (no 'Interface:', 'MAC Address:' or 'Common Session ID:' line)";
            return new PostureSyncException(ErrorIds.NadSessionNotFound, FailureKind.ObjectNotFound, $"'{source}' {what}.", source)
            {
                RecommendedAction = "On the switch run 'show access-session interface <interface> details' (IOS-XE) or "
                    + "'show authentication sessions interface <interface> details' (IOS 15), with 'details', and pass its whole output.",
            };
        }

        private static PostureSyncException TooLarge(string source, long size) => new PostureSyncException(
            ErrorIds.NadSessionTooLarge,
            FailureKind.LimitsExceeded,
            string.Format(CultureInfo.InvariantCulture, "'{0}' is {1} bytes; session output over {2} bytes is refused.", source, size, MaxBytes),
            source)
        {
            RecommendedAction = "Pass the output of 'show access-session … details' only, or split it by switch.",
        };
    }
}
