using System;
using System.Collections.Generic;
using System.IO;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Reads a zip's central directory (record count, and where each entry's data lies) before ZipArchive does, so
    /// that archives built to multiply their expansion are refused up front: records that share or overlap one
    /// local entry (each would inflate the same data again) and more records than a DART bundle ever has.
    /// </summary>
    internal enum ZipDirectoryProblem
    {
        None,
        TooManyEntries,
        SharedEntry,
        OverlappingEntries,
    }

    internal static class ZipDirectory
    {
        private const uint EndSignature = 0x06054b50;
        private const uint Zip64LocatorSignature = 0x07064b50;
        private const uint Zip64EndSignature = 0x06064b50;
        private const uint RecordSignature = 0x02014b50;
        private const int EndSize = 22;
        private const int LocalHeaderSize = 30;

        /// <summary>
        /// What makes the directory unacceptable, and the number of records it declares. A directory this cannot read
        /// is left to ZipArchive, which reports it in its own words.
        /// </summary>
        internal static ZipDirectoryProblem Check(Stream stream, int maxEntries, out long entryCount)
        {
            entryCount = 0;
            long length = stream.Length;
            if (length < EndSize)
            {
                return ZipDirectoryProblem.None;
            }

            // The end record is within the last 22 + 65535 (longest comment) bytes.
            int tailLength = (int)Math.Min(length, EndSize + 65535);
            byte[] tail = ReadAt(stream, length - tailLength, tailLength);
            int end = -1;
            for (int i = tailLength - EndSize; i >= 0; i--)
            {
                if (UInt32(tail, i) == EndSignature)
                {
                    end = i;
                    break;
                }
            }

            if (end < 0)
            {
                return ZipDirectoryProblem.None;
            }

            entryCount = UInt16(tail, end + 10);
            long directorySize = UInt32(tail, end + 12);
            long directoryOffset = UInt32(tail, end + 16);
            if (end >= 20 && UInt32(tail, end - 20) == Zip64LocatorSignature)
            {
                long zip64End = (long)UInt64(tail, end - 12);
                if (zip64End < 0 || zip64End > length - 56)
                {
                    return ZipDirectoryProblem.None;
                }

                byte[] record = ReadAt(stream, zip64End, 56);
                if (UInt32(record, 0) != Zip64EndSignature)
                {
                    return ZipDirectoryProblem.None;
                }

                entryCount = (long)UInt64(record, 32);
                directorySize = (long)UInt64(record, 40);
                directoryOffset = (long)UInt64(record, 48);
            }

            if (entryCount < 0 || entryCount > maxEntries)
            {
                return ZipDirectoryProblem.TooManyEntries;
            }

            if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize > length || directorySize > int.MaxValue)
            {
                    return ZipDirectoryProblem.None;
            }

            byte[] directory = ReadAt(stream, directoryOffset, (int)directorySize);
            var spans = new List<(long Start, long End)>((int)entryCount);
            int at = 0;
            for (long n = 0; n < entryCount; n++)
            {
                if (at + 46 > directory.Length || UInt32(directory, at) != RecordSignature)
                {
                    return ZipDirectoryProblem.None;
                }

                long compressed = UInt32(directory, at + 20);
                long uncompressed = UInt32(directory, at + 24);
                int nameLength = UInt16(directory, at + 28);
                int extraLength = UInt16(directory, at + 30);
                int commentLength = UInt16(directory, at + 32);
                long offset = UInt32(directory, at + 42);
                int extra = at + 46 + nameLength;
                if (extra + extraLength + commentLength > directory.Length)
                {
                    return ZipDirectoryProblem.None;
                }

                ReadZip64Extra(directory, extra, extraLength, uncompressed == uint.MaxValue, ref compressed, offset == uint.MaxValue, ref offset);
                spans.Add((offset, offset + LocalHeaderSize + Math.Max(0, compressed)));
                at = extra + extraLength + commentLength;
            }

            spans.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (int i = 1; i < spans.Count; i++)
            {
                if (spans[i].Start < spans[i - 1].End)
                {
                    return spans[i].Start == spans[i - 1].Start ? ZipDirectoryProblem.SharedEntry : ZipDirectoryProblem.OverlappingEntries;
                }
            }

            return ZipDirectoryProblem.None;
        }

        /// <summary>The zip64 extra field holds, in order, only the sizes and offset whose 32-bit fields are saturated.</summary>
        private static void ReadZip64Extra(byte[] data, int start, int length, bool hasUncompressed, ref long compressed, bool hasOffset, ref long offset)
        {
            int end = start + length;
            int at = start;
            while (at + 4 <= end)
            {
                int id = UInt16(data, at);
                int size = UInt16(data, at + 2);
                int body = at + 4;
                if (body + size > end)
                {
                    return;
                }

                if (id == 1)
                {
                    int field = body;
                    if (hasUncompressed)
                    {
                        field += 8;
                    }

                    if (compressed == uint.MaxValue && field + 8 <= body + size)
                    {
                        compressed = (long)Math.Min(UInt64(data, field), long.MaxValue / 2);
                        field += 8;
                    }

                    if (hasOffset && field + 8 <= body + size)
                    {
                        offset = (long)Math.Min(UInt64(data, field), long.MaxValue / 2);
                    }

                    return;
                }

                at = body + size;
            }
        }

        private static byte[] ReadAt(Stream stream, long offset, int count)
        {
            var buffer = new byte[count];
            stream.Position = offset;
            int done = 0;
            while (done < count)
            {
                int read = stream.Read(buffer, done, count - done);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                done += read;
            }

            return buffer;
        }

        private static int UInt16(byte[] b, int i) => b[i] | (b[i + 1] << 8);

        private static long UInt32(byte[] b, int i) => (uint)(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));

        private static ulong UInt64(byte[] b, int i) => (ulong)UInt32(b, i) | ((ulong)UInt32(b, i + 4) << 32);
    }
}
