using System;
using System.IO;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// A read-only, forward-only view of another stream, as the log and bundle readers need it: subclasses change only
    /// what <see cref="Read"/> hands on, and say whether the view owns the stream under it.
    /// </summary>
    internal abstract class ForwardReadStream : Stream
    {
        private readonly bool ownsInner;

        protected ForwardReadStream(Stream inner, bool ownsInner)
        {
            Inner = inner;
            this.ownsInner = ownsInner;
        }

        protected Stream Inner { get; }

        public override bool CanRead => Inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => Inner.Length;

        public override long Position
        {
            get => Inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && ownsInner)
            {
                Inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
