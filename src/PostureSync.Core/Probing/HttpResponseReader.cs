using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PostureSync.Core.Probing
{
    /// <summary>
    /// Reads one HTTP/1.1 response: status line, headers, and at most the first bytes of the body. It keeps what it
    /// has read when the read is abandoned (timeout), so a slow or dying server still shows how far it got.
    /// </summary>
    internal sealed class HttpResponseReader
    {
        internal const int MaxHeadBytes = 16 * 1024;

        private readonly int bodyLimit;
        private readonly MemoryStream received = new MemoryStream();
        private readonly object gate = new object();
        private int headLength = -1;
        private bool stopped;

        public HttpResponseReader(int bodyLimit)
        {
            this.bodyLimit = bodyLimit;
        }

        public long BytesReceived => received.Length;

        public bool HeadComplete => headLength >= 0;

        public int? StatusCode { get; private set; }

        public string? Reason { get; private set; }

        public string? HttpVersion { get; private set; }

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The body bytes decoded so far, at most the limit.</summary>
        public byte[] Body { get; private set; } = Array.Empty<byte>();

        /// <summary>True when the body goes on beyond what was kept.</summary>
        public bool BodyCut { get; private set; }

        /// <summary>True when the body ended as the response declared it (length, last chunk, or close).</summary>
        public bool BodyComplete { get; private set; }

        /// <summary>Why the response is unusable; null while it is fine.</summary>
        public string? Failure { get; private set; }

        /// <summary>Records why reading stopped early, unless the response was already found unusable.</summary>
        public void Abandon(string reason)
        {
            lock (gate)
            {
                Failure ??= reason;
            }
        }

        /// <summary>Reads until the head and the body preview are complete, the peer closes, or the response is malformed.</summary>
        public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            while (true)
            {
                int read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                lock (gate)
                {
                    if (stopped || Consume(buffer, read))
                    {
                        return;
                    }
                }
            }
        }

        /// <summary>
        /// Freezes what has been read. A read abandoned at the timeout may still complete on another thread; after
        /// this it changes nothing, so the result can be described safely.
        /// </summary>
        public void Stop()
        {
            lock (gate)
            {
                stopped = true;
            }
        }

        /// <summary>Takes one read's bytes (none: the peer closed); true when nothing more needs reading.</summary>
        private bool Consume(byte[] buffer, int read)
        {
            bool closed = read == 0;
            received.Write(buffer, 0, read);
            if (!HeadComplete)
            {
                if (!TryParseHead())
                {
                    if (Failure != null)
                    {
                        return true;
                    }

                    if (closed)
                    {
                        Failure = "the connection closed after " + BytesReceived.ToString(CultureInfo.InvariantCulture) + " bytes, before the end of the response headers";
                        return true;
                    }

                    return false;
                }
            }

            if (UpdateBody(closed) || Failure != null)
            {
                return true;
            }

            if (closed)
            {
                Failure = "the connection closed after " + Body.Length.ToString(CultureInfo.InvariantCulture) + " body bytes, before the body the server announced was complete";
                return true;
            }

            return false;
        }

        private bool TryParseHead()
        {
            byte[] data = received.GetBuffer();
            int length = (int)received.Length;
            int end = IndexOf(data, length, new byte[] { 13, 10, 13, 10 });
            if (end < 0)
            {
                if (length > MaxHeadBytes)
                {
                    Failure = "the response headers are longer than " + MaxHeadBytes.ToString(CultureInfo.InvariantCulture) + " bytes";
                }
                else if (length >= 5 && Encoding.ASCII.GetString(data, 0, 5) != "HTTP/")
                {
                    Failure = "the answer does not start with an HTTP status line";
                }

                return false;
            }

            headLength = end + 4;
            string[] lines = Encoding.GetEncoding("iso-8859-1").GetString(data, 0, end).Split(new[] { "\r\n" }, StringSplitOptions.None);
            string[] status = lines[0].Split(new[] { ' ' }, 3);
            if (status.Length < 2 || !status[0].StartsWith("HTTP/", StringComparison.Ordinal)
                || status[1].Length != 3 || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
            {
                Failure = "the status line '" + Printable.Cut(lines[0], 80) + "' is not HTTP";
                return false;
            }

            HttpVersion = status[0];
            StatusCode = code;
            Reason = status.Length > 2 ? status[2] : string.Empty;
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon > 0)
                {
                    string name = lines[i].Substring(0, colon).Trim();
                    string value = lines[i].Substring(colon + 1).Trim();
                    Headers[name] = Headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
                }
            }

            return true;
        }

        /// <summary>Decodes the body received so far; true when nothing more needs reading.</summary>
        private bool UpdateBody(bool closed)
        {
            byte[] data = received.GetBuffer();
            int available = (int)received.Length - headLength;
            if (StatusCode < 200 || StatusCode == 204 || StatusCode == 304)
            {
                BodyComplete = true;
                return true;
            }

            if (Headers.TryGetValue("Transfer-Encoding", out string? coding) && coding.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return DecodeChunked(data, headLength, available);
            }

            if (Headers.TryGetValue("Content-Length", out string? lengthText))
            {
                if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out long declared))
                {
                    Failure = "the Content-Length '" + Printable.Cut(lengthText, 40) + "' is not a number";
                    return true;
                }

                int keep = (int)Math.Min(Math.Min(declared, bodyLimit), available);
                Body = Slice(data, headLength, keep);
                BodyCut = declared > bodyLimit;
                BodyComplete = available >= declared;
                return keep >= Math.Min(declared, bodyLimit);
            }

            // No framing: the body runs to the close (the request asked for Connection: close).
            Body = Slice(data, headLength, Math.Min(available, bodyLimit));
            BodyCut = available > bodyLimit;
            BodyComplete = closed;
            return closed || BodyCut;
        }

        private bool DecodeChunked(byte[] data, int start, int available)
        {
            var body = new MemoryStream();
            int position = start;
            int end = start + available;
            while (true)
            {
                int lineEnd = IndexOf(data, end, new byte[] { 13, 10 }, position);
                if (lineEnd < 0)
                {
                    break;
                }

                string sizeText = Encoding.ASCII.GetString(data, position, lineEnd - position).Split(';')[0].Trim();
                if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
                {
                    Failure = "the chunk size '" + Printable.Cut(sizeText, 20) + "' is not hexadecimal";
                    return true;
                }

                position = lineEnd + 2;
                if (size == 0)
                {
                    BodyComplete = true;
                    break;
                }

                int take = Math.Min(size, end - position);
                body.Write(data, position, take);
                if (take < size || body.Length >= bodyLimit)
                {
                    break;
                }

                position += size + 2;
                if (position > end)
                {
                    break;
                }
            }

            BodyCut = body.Length > bodyLimit || (body.Length == bodyLimit && !BodyComplete);
            Body = Slice(body.GetBuffer(), 0, (int)Math.Min(body.Length, bodyLimit));
            return BodyComplete || Body.Length >= bodyLimit;
        }

        private static byte[] Slice(byte[] data, int offset, int count)
        {
            var copy = new byte[Math.Max(0, count)];
            Array.Copy(data, offset, copy, 0, copy.Length);
            return copy;
        }

        private static int IndexOf(byte[] data, int length, byte[] pattern, int from = 0)
        {
            for (int i = from; i <= length - pattern.Length; i++)
            {
                int j = 0;
                while (j < pattern.Length && data[i + j] == pattern[j])
                {
                    j++;
                }

                if (j == pattern.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>Text made safe for one table cell.</summary>
    internal static class Printable
    {
        /// <summary>
        /// Controls, invisible format characters (bidi overrides, zero-width) and undecodable bytes become '.',
        /// whitespace runs become one space, and cut text ends with an ellipsis.
        /// </summary>
        public static string Fold(string text, bool cut)
        {
            var result = new StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = result.Length > 0;
                    continue;
                }

                if (space)
                {
                    result.Append(' ');
                    space = false;
                }

                result.Append(IsShown(c) ? c : '.');
            }

            return cut ? result.Append(" ...").ToString() : result.ToString();
        }

        /// <summary>A server-supplied value (header, certificate name) folded and cut to one cell; null stays null.</summary>
        public static string? Clean(string? text, int max) => text is null ? null : Cut(Fold(text, cut: false), max);

        public static string Cut(string text, int max) => text.Length <= max ? text : text.Substring(0, max) + "...";

        private static bool IsShown(char c)
        {
            if (char.IsControl(c) || c == '\uFFFD')
            {
                return false;
            }

            UnicodeCategory category = char.GetUnicodeCategory(c);
            return category != UnicodeCategory.Format && category != UnicodeCategory.PrivateUse && category != UnicodeCategory.OtherNotAssigned;
        }
    }
}
