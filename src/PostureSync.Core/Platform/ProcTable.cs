using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace PostureSync.Core.Platform
{
    /// <summary>
    /// The Linux process table as a /proc folder shows it, read under the system root (<see cref="AgentLocations.Root"/>)
    /// so tests give their own: the processes whose command name (/proc/&lt;pid&gt;/comm) is one asked for.
    /// </summary>
    internal static class ProcTable
    {
        /// <summary>The /proc folder under a system root.</summary>
        public static string Under(string root) => Path.Combine(root, "proc");

        /// <summary>Every process in <paramref name="proc"/> whose comm is one of <paramref name="names"/>; none when /proc cannot be listed.</summary>
        public static IReadOnlyList<ProcEntry> Find(string proc, params string[] names)
        {
            var found = new List<ProcEntry>();
            string[] entries;
            try
            {
                entries = Directory.GetDirectories(proc);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return found;
            }

            foreach (string entry in entries)
            {
                if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                {
                    continue;
                }

                try
                {
                    string comm = File.ReadAllText(Path.Combine(entry, "comm")).Trim();
                    if (Array.IndexOf(names, comm) < 0)
                    {
                        continue;
                    }

                    found.Add(new ProcEntry(pid, comm, StartTicks(ReadOrEmpty(Path.Combine(entry, "stat")))));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // the process ended while we looked, or is not ours to read
                }
            }

            return found;
        }

        /// <summary>The most recently started of the processes named, or null when none runs.</summary>
        public static ProcEntry? Newest(string proc, params string[] names)
        {
            ProcEntry? newest = null;
            foreach (ProcEntry entry in Find(proc, names))
            {
                // An unreadable start counts as oldest; the higher id breaks a tie (ids grow until they wrap).
                if (newest is null || (entry.StartTicks ?? -1, entry.ProcessId).CompareTo((newest.StartTicks ?? -1, newest.ProcessId)) > 0)
                {
                    newest = entry;
                }
            }

            return newest;
        }

        /// <summary>Field 22 of /proc/&lt;pid&gt;/stat (starttime), counted after the ")" that ends the command name.</summary>
        internal static long? StartTicks(string stat)
        {
            int close = stat.LastIndexOf(')');
            if (close < 0)
            {
                return null;
            }

            string[] fields = stat.Substring(close + 1).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);

            // After the name come field 3 (state) onwards, so field 22 is at index 19.
            return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) ? ticks : (long?)null;
        }

        private static string ReadOrEmpty(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return string.Empty;
            }
        }
    }

    /// <summary>One process of the table: its id, command name and start in clock ticks after boot (null when unreadable).</summary>
    internal sealed class ProcEntry
    {
        public ProcEntry(int processId, string name, long? startTicks)
        {
            ProcessId = processId;
            Name = name;
            StartTicks = startTicks;
        }

        public int ProcessId { get; }

        public string Name { get; }

        public long? StartTicks { get; }
    }
}
