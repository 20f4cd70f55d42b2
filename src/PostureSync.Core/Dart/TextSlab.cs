using System;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Copies the text of kept records end to end into shared blocks, so an event holds a slice of a block instead
    /// of strings of its own: on a log where most lines are events, one object fewer per field and event is what
    /// the garbage collector no longer has to trace and move. Only kept text is copied, so a block holds nothing
    /// that no event refers to; a block is freed with the last event that holds a slice of it.
    /// </summary>
    internal sealed class TextSlab
    {
        /// <summary>32 KB: small enough to stay out of the large object heap, large enough for a few hundred messages.</summary>
        private const int BlockChars = 16 * 1024;

        /// <summary>Longer texts get a block of their own, so a block is never mostly one message.</summary>
        private const int MaxSharedChars = BlockChars / 8;

        private char[] block = new char[BlockChars];
        private int used;

        public TextSlice Add(char[] source, int start, int length)
        {
            if (length == 0)
            {
                return default;
            }

            if (length > MaxSharedChars)
            {
                var own = new char[length];
                Array.Copy(source, start, own, 0, length);
                return new TextSlice(own, 0, length);
            }

            if (used + length > block.Length)
            {
                block = new char[BlockChars];
                used = 0;
            }

            Array.Copy(source, start, block, used, length);
            var slice = new TextSlice(block, used, length);
            used += length;
            return slice;
        }
    }

    /// <summary>A range of a <see cref="TextSlab"/> block; the default slice is the empty text.</summary>
    internal readonly struct TextSlice
    {
        private readonly char[]? block;
        private readonly int start;
        private readonly int length;

        public TextSlice(char[] block, int start, int length) => (this.block, this.start, this.length) = (block, start, length);

        public bool IsEmpty => length == 0;

        public override string ToString() => block is null ? string.Empty : new string(block, start, length);
    }
}
