using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace PostureSync.Fuzz
{
    /// <summary>
    /// Seeded mutations of fixture inputs. Besides byte-level changes it grows inputs the ways the reliability
    /// review found hostile: a chunk repeated thousands of times, deep nesting, non-ASCII digits, long lines, and,
    /// for zips, re-zipped mutated entries and duplicated directory records.
    /// </summary>
    public sealed class Mutator
    {
        /// <summary>Inputs are kept below this so one case stays a small fraction of the 200 MB per-input heap.</summary>
        public const int MaxInputBytes = 4 * 1024 * 1024;

        private readonly int maxInputBytes;

        /// <summary>Words and fragments of every input language, and the hostile pieces found so far.</summary>
        public static readonly string[] Tokens =
        {
            "\u0661", "\u0969", "\uff11", "\u00b2", "99999999999999999999", "-1", "0x", "::", " :: ", "\r", "\n", "\0", "\ufffd",
            "Function: ", "Thread Id: 0x1 ", "Level: info :: ", "<cfg>", "</cfg>", "<a>", "<!DOCTYPE x>", "&amp;", "permit ", "deny ",
            "tcp ", "ip ", "any ", "host ", "eq 8449 ", "range ", "0.0.0.255 ", "10.1.1.1 ", "2001:db8::/32 ", "object-group ",
            "Extended IP access list x\n", "IPv6 access list x\n", "FQDN IP access list f\n", "Extended MAC access list m\n",
            "host dynamic a.example\n", "ip:inacl#1=", "ipv6:inacl#99999999999=", "! comment\n", "remark ", "(5 matches)", "sequence 10",
            "AnyConnect_ISEPosture.txt.\u0661", "PeriodicProbe::sessionSyncProbe ", "sendUIStatus ", "Compliant", "2024/02/14 00:12:18 ",
        };

        private readonly Random random;

        /// <summary>A mutator whose choices follow <paramref name="seed"/>; <paramref name="maxInputBytes"/> caps what it makes.</summary>
        public Mutator(int seed, int maxInputBytes = MaxInputBytes)
        {
            random = new Random(seed);
            this.maxInputBytes = maxInputBytes;
        }

        /// <summary>One mutated input derived from <paramref name="seed"/>, spliced at times with <paramref name="other"/>.</summary>
        public byte[] Mutate(string target, byte[] seed, byte[] other)
        {
            if (FuzzTargets.IsBundle(target) && random.Next(4) != 0)
            {
                return MutateBundle(target, seed, other);
            }

            return MutateBytes(seed, other, target == "profile");
        }

        public byte[] MutateBytes(byte[] seed, byte[] other, bool xml)
        {
            var data = new List<byte>(seed);
            int steps = 1 + random.Next(4);
            for (int s = 0; s < steps; s++)
            {
                switch (random.Next(xml ? 10 : 9))
                {
                    case 0:
                        if (data.Count > 0)
                        {
                            int at = random.Next(data.Count);
                            data[at] ^= (byte)(1 << random.Next(8));
                        }

                        break;
                    case 1:
                        if (data.Count > 0)
                        {
                            int at = random.Next(data.Count);
                            data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(64)));
                        }

                        break;
                    case 2:
                        data.InsertRange(random.Next(data.Count + 1), Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                        break;
                    case 3:
                    case 4:
                        Repeat(data);
                        break;
                    case 5:
                        if (other.Length > 0)
                        {
                            int from = random.Next(other.Length);
                            int take = Math.Min(other.Length - from, 1 + random.Next(512));
                            data.InsertRange(random.Next(data.Count + 1), other.Skip(from).Take(take));
                        }

                        break;
                    case 6:
                        data.InsertRange(random.Next(data.Count + 1), Encoding.UTF8.GetBytes(new string((char)('a' + random.Next(26)), 1 + random.Next(Math.Min(10000, maxInputBytes / 4)))));
                        break;
                    case 7:
                        if (data.Count > 0)
                        {
                            data[random.Next(data.Count)] = (byte)random.Next(256);
                        }

                        break;
                    case 8:
                        if (data.Count > 1)
                        {
                            data.RemoveRange(random.Next(data.Count / 2), data.Count / 2);
                        }

                        break;
                    default:
                        Nest(data);
                        break;
                }

                if (data.Count > maxInputBytes)
                {
                    data.RemoveRange(maxInputBytes, data.Count - maxInputBytes);
                }
            }

            return data.ToArray();
        }

        /// <summary>A chunk of the input repeated up to thousands of times: the shape of every quadratic case found.</summary>
        private void Repeat(List<byte> data)
        {
            if (data.Count == 0)
            {
                return;
            }

            int from = random.Next(data.Count);
            int length = Math.Min(data.Count - from, 1 + random.Next(200));
            int times = random.Next(8) == 0 ? 2 + random.Next(20000) : 2 + random.Next(50);
            times = Math.Max(1, Math.Min(times, (maxInputBytes - data.Count) / length));
            byte[] chunk = data.GetRange(from, length).ToArray();
            var repeated = new List<byte>(chunk.Length * times);
            for (int i = 0; i < times; i++)
            {
                repeated.AddRange(chunk);
            }

            data.InsertRange(from, repeated);
        }

        /// <summary>Wraps a point of an XML document in thousands of nested elements.</summary>
        private void Nest(List<byte> data)
        {
            int depth = 1 + random.Next(Math.Min(random.Next(2) == 0 ? 100 : 60000, maxInputBytes / 8));
            var open = new StringBuilder(depth * 3);
            var close = new StringBuilder(depth * 4);
            for (int i = 0; i < depth; i++)
            {
                open.Append("<a>");
                close.Append("</a>");
            }

            int at = random.Next(data.Count + 1);
            data.InsertRange(at, Encoding.UTF8.GetBytes(open.ToString() + close));
        }

        /// <summary>Re-zips a mutated profile and log, or duplicates the directory records of a seed bundle.</summary>
        private byte[] MutateBundle(string target, byte[] seed, byte[] other)
        {
            Dictionary<string, byte[]> entries = Entries(seed);
            entries.TryGetValue("ISEPostureCFG.xml", out byte[]? profile);
            byte[]? log = entries.Where(e => e.Key.StartsWith("AnyConnect_ISEPosture", StringComparison.OrdinalIgnoreCase)).Select(e => e.Value).FirstOrDefault();
            switch (random.Next(5))
            {
                case 0:
                    return DuplicateRecords(seed, 1 + random.Next(random.Next(2) == 0 ? 20 : Math.Min(3000, maxInputBytes / 64)));
                case 1:
                    // Two logs, one named with a digit no number parser reads.
                    return FuzzTargets.Bundle(profile, log, "AnyConnect_ISEPosture.txt." + (char)(0x660 + random.Next(10)));
                default:
                    Dictionary<string, byte[]> others = Entries(other);
                    others.TryGetValue("ISEPostureCFG.xml", out byte[]? otherProfile);
                    bool profileSide = target == "profile-bundle" || (target == "health-bundle" && random.Next(2) == 0);
                    if (profileSide)
                    {
                        profile = MutateBytes(profile ?? Array.Empty<byte>(), otherProfile ?? Array.Empty<byte>(), xml: true);
                    }
                    else
                    {
                        log = MutateBytes(log ?? Array.Empty<byte>(), Array.Empty<byte>(), xml: false);
                    }

                    return FuzzTargets.Bundle(profile, log);
            }
        }

        private Dictionary<string, byte[]> Entries(byte[] zip)
        {
            var entries = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
            try
            {
                using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
                foreach (ZipArchiveEntry entry in archive.Entries.Take(16))
                {
                    if (entry.Length > maxInputBytes)
                    {
                        continue;
                    }

                    using Stream stream = entry.Open();
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    entries[entry.Name] = copy.ToArray();
                }
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is IOException || ex is ArgumentException || ex is NotSupportedException)
            {
                // A mutated seed may no longer be a zip: then there is nothing to re-zip.
            }

            return entries;
        }

        /// <summary>
        /// Appends <paramref name="copies"/> more central-directory records that all point at the first entry's data,
        /// and fixes the end record's counts: the "one entry inflated many times" shape.
        /// </summary>
        internal static byte[] DuplicateRecords(byte[] zip, int copies)
        {
            int end = -1;
            for (int i = zip.Length - 22; i >= 0; i--)
            {
                if (BitConverter.ToUInt32(zip, i) == 0x06054b50)
                {
                    end = i;
                    break;
                }
            }

            if (end < 0)
            {
                return zip;
            }

            int count = BitConverter.ToUInt16(zip, end + 10);
            int size = (int)BitConverter.ToUInt32(zip, end + 12);
            int offset = (int)BitConverter.ToUInt32(zip, end + 16);
            if (count == 0 || offset + size > end)
            {
                return zip;
            }

            int firstLength = 46 + BitConverter.ToUInt16(zip, offset + 28) + BitConverter.ToUInt16(zip, offset + 30) + BitConverter.ToUInt16(zip, offset + 32);
            copies = Math.Min(copies, 65535 - count);
            using var output = new MemoryStream();
            output.Write(zip, 0, offset + size);
            for (int i = 0; i < copies; i++)
            {
                output.Write(zip, offset, firstLength);
            }

            var tail = new byte[zip.Length - end];
            Array.Copy(zip, end, tail, 0, tail.Length);
            BitConverter.GetBytes((ushort)(count + copies)).CopyTo(tail, 8);
            BitConverter.GetBytes((ushort)(count + copies)).CopyTo(tail, 10);
            BitConverter.GetBytes((uint)(size + (copies * firstLength))).CopyTo(tail, 12);
            output.Write(tail, 0, tail.Length);
            return output.ToArray();
        }
    }
}
