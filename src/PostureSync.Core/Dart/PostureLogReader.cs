using System;
using System.IO;
using System.Text;
using System.Threading;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Streams the records of one AnyConnect_ISEPosture log out of a stream, one kept record at a time. A record is
    /// held back until the next record line (or the end) so continuation lines can join its message. Encoding comes
    /// from the byte order mark (UTF-8, UTF-16 LE/BE), UTF-8 without one; invalid bytes decode to U+FFFD and never
    /// stop the parse. UTF-16 without a mark is recognised by its zero bytes (a record starts with ASCII digits).
    /// A message keeps at most <see cref="MaxMessageChars"/> characters, so a record followed by endless continuation
    /// lines cannot exhaust memory.
    /// </summary>
    internal sealed class PostureLogReader : IDisposable
    {
        /// <summary>Large enough that the decoder and the disk work in big steps; small enough to stay flat in memory.</summary>
        private const int BufferBytes = 1 << 16;

        /// <summary>Longer messages are cut and end with "…".</summary>
        internal const int MaxMessageChars = LineSource.MaxLineChars;

        private const int LinesPerCheck = 1024;
        private const long BytesPerProgress = 1L << 20;

        private readonly Stream? stream;
        private readonly TextReader reader;
        private readonly LineSource lines;
        private readonly string logPath;
        private readonly string? bundlePath;
        private readonly bool[] wanted;
        private readonly long afterTicks;
        private readonly long beforeTicks;
        private readonly bool filtersTime;
        private readonly CancellationToken cancellation;
        private readonly Action<long>? progress;
        private readonly PostureLogLine parsed = new PostureLogLine();

        private DartSyncEvent? pending;
        private int pendingCode;
        private StringBuilder? pendingMessage;
        private bool seenRecord;
        private bool finished;
        private bool skippingLine;
        private bool messageCut;
        private bool afterForeign;
        private long piecesRead;
        private long lastProgressBytes;

        private readonly StringPool pool = new StringPool();
        private readonly TextSlab slab = new TextSlab();

        /// <param name="referenceTime">What a year-less syslog time is read against: the log's last write time, or now.</param>
        public PostureLogReader(Stream stream, string logPath, string? bundlePath, DartSyncEventQuery query, CancellationToken cancellation, Action<long>? progress, DateTime? referenceTime = null)
        {
            this.stream = stream;
            this.progress = CanTellPosition(stream) ? progress : null;
            var sniffed = new SniffedStream(stream);
            reader = new StreamReader(sniffed, sniffed.Encoding, true, BufferBytes);
            (this.logPath, this.bundlePath, this.cancellation) = (logPath, bundlePath, cancellation);
            (wanted, filtersTime, afterTicks, beforeTicks) = Filters(query);
            parsed.ReferenceTime = referenceTime ?? DateTime.Now;
            lines = new LineSource(reader);
        }

        /// <summary>Text that is already decoded (a live source's lines); no progress, as its length is not known.</summary>
        public PostureLogReader(TextReader text, string logPath, DartSyncEventQuery query, CancellationToken cancellation)
        {
            reader = text;
            (this.logPath, this.bundlePath, this.cancellation) = (logPath, null, cancellation);
            (wanted, filtersTime, afterTicks, beforeTicks) = Filters(query);
            lines = new LineSource(reader);
        }

        private static (bool[] Wanted, bool FiltersTime, long AfterTicks, long BeforeTicks) Filters(DartSyncEventQuery query) =>
            (query.WantedCodes(), query.After.HasValue || query.Before.HasValue, query.After?.Ticks ?? long.MinValue, query.Before?.Ticks ?? long.MaxValue);

        public long LineNumber { get; private set; }

        /// <summary>Lines before the first record and unreadable lines.</summary>
        public long SkippedLines { get; private set; }

        public long FirstSkippedLine { get; private set; }

        /// <summary>Record lines seen, kept or not.</summary>
        public long Records { get; private set; }

        /// <summary>The next kept record, or null at the end of the log.</summary>
        public DartSyncEvent? Next()
        {
            while (!finished)
            {
                if (!lines.Next())
                {
                    finished = true;
                    return TakePending();
                }

                if (++piecesRead % LinesPerCheck == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                    ReportProgress();
                }

                char[] buffer = lines.Buffer;
                int start = lines.LineStart;
                int length = lines.LineLength;
                if (lines.ContinuesLine)
                {
                    // The rest of a line too long to take at once: it belongs to whatever its start was.
                    if (!skippingLine && pending != null)
                    {
                        AppendToMessage(buffer, start, length, newLine: false);
                    }

                    continue;
                }

                LineNumber++;
                skippingLine = false;
                PostureLogLineKind kind = parsed.Parse(buffer, start, length);
                if (kind == PostureLogLineKind.Record)
                {
                    Records++;
                    seenRecord = true;
                    afterForeign = false;
                    DartSyncEvent? done = TakePending();
                    Accept();
                    if (done != null)
                    {
                        return done;
                    }

                    continue;
                }

                if (kind == PostureLogLineKind.Repeat)
                {
                    // It repeats the line before it: the held record, unless a foreign line came in between.
                    if (pending != null && !afterForeign)
                    {
                        pending.RepeatCount += parsed.RepeatCount;
                    }

                    continue;
                }

                if (kind == PostureLogLineKind.Foreign)
                {
                    // Another process's syslog line (and whatever continues it): not the agent's, not a problem.
                    afterForeign = true;
                    skippingLine = true;
                    continue;
                }

                if (afterForeign)
                {
                    skippingLine = true;
                    continue;
                }

                if (IsBlank(buffer, start, length))
                {
                    if (pending != null)
                    {
                        AppendToMessage(buffer, start, 0, newLine: true);
                    }

                    continue;
                }

                if (!seenRecord || IsUnreadable(buffer, start, length))
                {
                    skippingLine = true;
                    SkippedLines++;
                    if (FirstSkippedLine == 0)
                    {
                        FirstSkippedLine = LineNumber;
                    }

                    continue;
                }

                if (pending != null)
                {
                    AppendToMessage(buffer, start, length, newLine: true);
                }
            }

            return null;
        }

        public long BytesRead => stream != null && CanTellPosition(stream) ? stream.Position : -1;

        public void Dispose() => reader.Dispose();

        /// <summary>A line that is not text: NUL or other control characters (tab and CR aside), or mostly undecodable bytes.</summary>
        internal static bool IsUnreadable(char[] buffer, int start, int length)
        {
            int replaced = 0;
            for (int i = start; i < start + length; i++)
            {
                char c = buffer[i];
                if (c < ' ' && c != '\t' && c != '\r')
                {
                    return true;
                }

                if (c == '\uFFFD')
                {
                    replaced++;
                }
            }

            return replaced * 4 > length;
        }

        private static bool IsBlank(char[] buffer, int start, int length)
        {
            for (int i = start; i < start + length; i++)
            {
                char c = buffer[i];
                if (c != ' ' && c != '\t')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool CanTellPosition(Stream stream)
        {
            try
            {
                _ = stream.Position;
                return true;
            }
            catch (NotSupportedException)
            {
                return false;
            }
        }

        private void ReportProgress()
        {
            if (progress is null)
            {
                return;
            }

            long position = stream!.Position;
            if (position - lastProgressBytes >= BytesPerProgress)
            {
                lastProgressBytes = position;
                progress(position);
            }
        }

        /// <summary>Decides on the record just parsed, cheapest test first; builds strings only for a kept record.</summary>
        private void Accept()
        {
            int code = DartSyncEventClassifier.Classify(parsed);
            if (!wanted[code])
            {
                return;
            }

            DateTime time = parsed.Timestamp();
            if (filtersTime && (time.Ticks < afterTicks || time.Ticks > beforeTicks))
            {
                return;
            }

            parsed.ParseTail();
            pendingCode = code;
            messageCut = false;
            pending = new DartSyncEvent
            {
                TimeCreated = time,
                EventType = DartSyncEventTypes.NameOf(code),
                Severity = parsed.SeverityStart >= 0 ? Pooled(parsed.SeverityStart, parsed.SeverityLength)! : SeverityOfLevel(),
                Process = Pooled(parsed.ProcessStart, parsed.ProcessLength),
                Function = Pooled(parsed.FunctionStart, parsed.FunctionLength),
                ThreadIdText = Slice(parsed.ThreadStart, parsed.ThreadLength),
                SourceFile = Pooled(parsed.FileStart, parsed.FileLength),
                SourceLine = parsed.SourceLineNumber(),
                Level = Pooled(parsed.LevelStart, parsed.LevelLength),
                MessageText = parsed.MessageStart < 0 ? default : Slice(parsed.MessageStart, parsed.LineStart + parsed.LineLength - parsed.MessageStart),
                LogPath = logPath,
                BundlePath = bundlePath,
                LineNumber = LineNumber,
            };
        }

        /// <summary>
        /// A syslog line has no severity; the agent's level word stands in for it, in the event log's words
        /// [inferred: the Windows event level matches the agent's level, as the DART lines show [Error] for errors].
        /// </summary>
        private string SeverityOfLevel()
        {
            if (parsed.LevelIs("error") || parsed.LevelIs("fatal") || parsed.LevelIs("critical"))
            {
                return "Error";
            }

            return parsed.LevelIs("warning") || parsed.LevelIs("warn") ? "Warning" : "Information";
        }

        private DartSyncEvent? TakePending()
        {
            DartSyncEvent? done = pending;
            if (done is null)
            {
                return null;
            }

            if (pendingMessage != null)
            {
                int end = pendingMessage.Length;
                while (end > 0 && pendingMessage[end - 1] == '\n')
                {
                    end--;
                }

                done.Message = pendingMessage.ToString(0, end);
            }

            if (DartSyncEventClassifier.IsPostureStatus(pendingCode))
            {
                done.PostureStatus = DartSyncEventClassifier.PostureStatusOf(done.Message);
            }
            else if (DartSyncEventClassifier.IsHttpRequest(pendingCode) && DartSyncEventClassifier.TryFindUrl(done.Message, out string? url, out int? port))
            {
                done.Url = url;
                done.Port = port;
            }

            pending = null;
            pendingMessage = null;
            return done;
        }

        /// <summary>Joins a continuation line (or the rest of a long one) to the held record's message, up to the cap.</summary>
        private void AppendToMessage(char[] buffer, int start, int length, bool newLine)
        {
            if (messageCut)
            {
                return;
            }

            pendingMessage ??= new StringBuilder(pending!.Message);
            int room = MaxMessageChars - pendingMessage.Length - (newLine ? 1 : 0);
            if (room < length)
            {
                if (newLine && room >= 0)
                {
                    pendingMessage.Append('\n');
                }

                pendingMessage.Append(buffer, start, Math.Max(0, room)).Append('\u2026');
                messageCut = true;
                return;
            }

            if (newLine)
            {
                pendingMessage.Append('\n');
            }

            pendingMessage.Append(buffer, start, length);
        }

        private string? Pooled(int start, int length) => start < 0 || length == 0 ? null : pool.Get(parsed.Buffer, start, length);

        private TextSlice Slice(int start, int length) => start < 0 ? default : slab.Add(parsed.Buffer, start, length);

        /// <summary>
        /// Looks at the first bytes to pick the encoding when there is no byte order mark (a mark still wins in the
        /// StreamReader), then hands every byte on, the peeked ones first.
        /// </summary>
        private sealed class SniffedStream : ForwardReadStream
        {
            private readonly byte[] head = new byte[4];
            private readonly int headLength;
            private int headRead;

            public SniffedStream(Stream inner)
                : base(inner, ownsInner: true)
            {
                while (headLength < head.Length)
                {
                    int read = inner.Read(head, headLength, head.Length - headLength);
                    if (read == 0)
                    {
                        break;
                    }

                    headLength += read;
                }

                bool complete = headLength == head.Length;
                if (complete && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0)
                {
                    Encoding = new UnicodeEncoding(false, false, false);
                }
                else if (complete && head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0)
                {
                    Encoding = new UnicodeEncoding(true, false, false);
                }
                else
                {
                    Encoding = new UTF8Encoding(false, false);
                }
            }

            public Encoding Encoding { get; }

            public override long Position
            {
                get => Inner.Position - (headLength - headRead);
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (headRead < headLength)
                {
                    int taken = Math.Min(count, headLength - headRead);
                    Array.Copy(head, headRead, buffer, offset, taken);
                    headRead += taken;
                    return taken;
                }

                return Inner.Read(buffer, offset, count);
            }
        }
    }
}
