using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PostureSync.Core.Probing
{
    /// <summary>
    /// Passes everything through and remembers the first bytes the server sent, so a failed TLS handshake can say
    /// what actually answered (a plain HTTP server, for instance).
    /// </summary>
    internal sealed class FirstBytesStream : Stream
    {
        private const int Keep = 16;
        private readonly Stream inner;
        private readonly byte[] first = new byte[Keep];
        private int kept;

        public FirstBytesStream(Stream inner)
        {
            this.inner = inner;
        }

        public byte[] FirstBytes
        {
            get
            {
                var copy = new byte[kept];
                Array.Copy(first, copy, kept);
                return copy;
            }
        }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Remember(buffer, offset, inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Remember(buffer, offset, await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Remember(byte[] buffer, int offset, int read)
        {
            int take = Math.Min(read, Keep - kept);
            if (take > 0)
            {
                Array.Copy(buffer, offset, first, kept, take);
                kept += take;
            }

            return read;
        }
    }
}
