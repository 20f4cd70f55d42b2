namespace PostureSync.Core.Dart
{
    /// <summary>
    /// Shares the strings of short, repeated fields (severity, process, function, file, level) between
    /// records: a log holds a few hundred distinct values, so most lookups hit and the records that are kept
    /// share one copy instead of each holding its own. A fixed table: it never grows, a collision just replaces.
    /// </summary>
    internal sealed class StringPool
    {
        private const int Slots = 1024;
        private const int MaxPooledLength = 96;

        private readonly string?[] table = new string?[Slots];

        public string Get(char[] buffer, int start, int length)
        {
            if (length > MaxPooledLength)
            {
                return new string(buffer, start, length);
            }

            uint hash = (uint)length;
            for (int i = start; i < start + length; i++)
            {
                hash = (hash * 31) + buffer[i];
            }

            int slot = (int)(hash % Slots);
            string? pooled = table[slot];
            if (pooled != null && pooled.Length == length && SameText(pooled, buffer, start))
            {
                return pooled;
            }

            pooled = new string(buffer, start, length);
            table[slot] = pooled;
            return pooled;
        }

        private static bool SameText(string pooled, char[] buffer, int start)
        {
            for (int i = 0; i < pooled.Length; i++)
            {
                if (pooled[i] != buffer[start + i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
