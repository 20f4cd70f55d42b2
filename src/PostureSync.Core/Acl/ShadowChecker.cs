using System;
using System.Collections.Generic;
using System.Linq;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// Finds lines covered by the union of earlier lines without comparing every pair. Earlier exact lines are
    /// indexed by the narrowest field they fix (destination /24 or /16, source /24 or /16, destination port).
    /// A line is first probed with a few witness packets: one that no earlier line matches proves the line is not
    /// shadowed, which settles almost every line at the cost of a few bucket lookups. Only lines whose witnesses are
    /// all covered get the exact test: subtract the intersecting earlier lines' cubes and see whether anything is left.
    /// Total work is bounded by a <see cref="WorkBudget"/> (units and time); past it the check stops and says so.
    /// </summary>
    internal sealed class ShadowChecker
    {
        /// <summary>Pieces one line's uncovered remainder may split into before its exact test is abandoned.</summary>
        public const int MaxPieces = 20000;

        private const int WitnessesPerCube = 4;

        /// <summary>Earlier lines kept per cube as "try these first"; the exact test finds any others through the indexes.</summary>
        private const int MaxHints = 64;

        private readonly bool ipv6;
        private readonly WorkBudget budget;
        private readonly List<(HeaderCube Cube, AclLine Line)> entries = new List<(HeaderCube, AclLine)>();
        private readonly Dictionary<ulong, List<int>> byDestinationNarrow = new Dictionary<ulong, List<int>>();
        private readonly Dictionary<ulong, List<int>> byDestinationWide = new Dictionary<ulong, List<int>>();
        private readonly Dictionary<ulong, List<int>> bySourceNarrow = new Dictionary<ulong, List<int>>();
        private readonly Dictionary<ulong, List<int>> bySourceWide = new Dictionary<ulong, List<int>>();
        private readonly Dictionary<ulong, List<int>> byDestinationPort = new Dictionary<ulong, List<int>>();
        private readonly List<int> unindexed = new List<int>();
        private readonly List<HeaderCube> piecesA = new List<HeaderCube>();
        private readonly List<HeaderCube> piecesB = new List<HeaderCube>();
        private readonly List<Ternary> scratch = new List<Ternary>();
        private readonly List<int> candidateScratch = new List<int>();

        public ShadowChecker(bool ipv6, WorkBudget budget)
        {
            this.ipv6 = ipv6;
            this.budget = budget;
        }

        public enum Outcome
        {
            NotShadowed,
            Shadowed,

            /// <summary>This line's exact test split into too many pieces; nothing is claimed about it.</summary>
            Undetermined,

            /// <summary>The work budget is spent.</summary>
            GaveUp,
        }

        /// <summary>Whether the union of the earlier exact lines added so far covers <paramref name="line"/>.</summary>
        public Outcome Check(AclLine line, out IReadOnlyList<AclLine> blockers)
        {
            blockers = Array.Empty<AclLine>();
            if (entries.Count == 0)
            {
                return Outcome.NotShadowed;
            }

            if (budget.Spent)
            {
                return Outcome.GaveUp;
            }

            var containing = new int[line.Cubes.Count];
            var covering = new List<int>[line.Cubes.Count];
            for (int c = 0; c < line.Cubes.Count; c++)
            {
                HeaderCube cube = line.Cubes[c];
                containing[c] = -1;
                covering[c] = new List<int>();
                ulong seed = ((ulong)line.LineNumber * 0x9E3779B97F4A7C15UL + (ulong)c) | 1;
                for (int w = 0; w < WitnessesPerCube; w++)
                {
                    HeaderPoint witness = Witness(cube, w, ref seed);
                    if (!Covered(witness, cube, ref containing[c], covering[c]))
                    {
                        return Outcome.NotShadowed;
                    }

                    if (containing[c] >= 0)
                    {
                        // One earlier line holds the whole cube: every other witness is covered too.
                        break;
                    }
                }

                if (budget.Spent)
                {
                    return Outcome.GaveUp;
                }
            }

            var found = new SortedDictionary<int, AclLine>();
            for (int c = 0; c < line.Cubes.Count; c++)
            {
                if (containing[c] >= 0)
                {
                    AclLine single = entries[containing[c]].Line;
                    found[single.LineNumber] = single;
                    continue;
                }

                // The lines that cover the witnesses usually cover the rest too; try them before every candidate.
                var first = new SortedDictionary<int, AclLine>();
                if (Subtract(line.Cubes[c], covering[c], first) == Outcome.Shadowed)
                {
                    foreach (KeyValuePair<int, AclLine> blocker in first)
                    {
                        found[blocker.Key] = blocker.Value;
                    }

                    continue;
                }

                Outcome exact = Subtract(line.Cubes[c], Candidates(line.Cubes[c]), found);
                if (exact != Outcome.Shadowed)
                {
                    return exact;
                }
            }

            blockers = found.Values.ToList();
            return Outcome.Shadowed;
        }

        /// <summary>Adds a line as a possible blocker of later lines; lines that match only part of their cubes cannot block.</summary>
        public void Add(AclLine line)
        {
            if (!line.IsExact)
            {
                return;
            }

            foreach (HeaderCube cube in line.Cubes)
            {
                int index = entries.Count;
                entries.Add((cube, line));
                if (NarrowKey(cube.Destination, out ulong key))
                {
                    Bucket(byDestinationNarrow, key).Add(index);
                }
                else if (WideKey(cube.Destination, out key))
                {
                    Bucket(byDestinationWide, key).Add(index);
                }
                else if (NarrowKey(cube.Source, out key))
                {
                    Bucket(bySourceNarrow, key).Add(index);
                }
                else if (WideKey(cube.Source, out key))
                {
                    Bucket(bySourceWide, key).Add(index);
                }
                else if (cube.DestinationPort.Lo == cube.DestinationPort.Hi)
                {
                    Bucket(byDestinationPort, (ulong)cube.DestinationPort.Lo).Add(index);
                }
                else
                {
                    unindexed.Add(index);
                }
            }
        }

        /// <summary>
        /// The exact test: subtract the earlier cubes that intersect this one, largest overlap first (coverage does
        /// not depend on order, and big pieces first keeps the remainder from fragmenting on small ones).
        /// </summary>
        private Outcome Subtract(HeaderCube cube, List<int> from, SortedDictionary<int, AclLine> found)
        {
            var candidates = new List<(double Size, int Index)>();
            foreach (int index in from.Distinct())
            {
                budget.Charge(1);
                if (entries[index].Cube.Intersects(cube))
                {
                    candidates.Add((-LogVolume(entries[index].Cube.Intersect(cube)), index));
                }
            }

            candidates.Sort();
            List<HeaderCube> remaining = piecesA;
            List<HeaderCube> next = piecesB;
            remaining.Clear();
            remaining.Add(cube);
            foreach ((double _, int index) in candidates)
            {
                (HeaderCube blocker, AclLine line) = entries[index];
                next.Clear();
                bool touched = false;
                foreach (HeaderCube piece in remaining)
                {
                    if (piece.Intersects(blocker))
                    {
                        touched = true;
                        piece.Subtract(blocker, next, scratch);
                    }
                    else
                    {
                        next.Add(piece);
                    }
                }

                budget.Charge(remaining.Count + next.Count);
                if (!touched)
                {
                    continue;
                }

                found[line.LineNumber] = line;
                (remaining, next) = (next, remaining);
                if (remaining.Count == 0)
                {
                    return Outcome.Shadowed;
                }

                if (remaining.Count > MaxPieces)
                {
                    return Outcome.Undetermined;
                }

                if (budget.Spent)
                {
                    return Outcome.GaveUp;
                }
            }

            return Outcome.NotShadowed;
        }

        /// <summary>
        /// The earlier entries that may intersect the cube: from each index only the bucket of the cube's own key
        /// when the cube fixes that field, every bucket otherwise.
        /// </summary>
        private List<int> Candidates(in HeaderCube cube)
        {
            candidateScratch.Clear();
            candidateScratch.AddRange(unindexed);
            AddBuckets(byDestinationNarrow, NarrowKey(cube.Destination, out ulong key), key);
            AddBuckets(byDestinationWide, WideKey(cube.Destination, out key), key);
            AddBuckets(bySourceNarrow, NarrowKey(cube.Source, out key), key);
            AddBuckets(bySourceWide, WideKey(cube.Source, out key), key);
            AddBuckets(byDestinationPort, cube.DestinationPort.Lo == cube.DestinationPort.Hi, (ulong)cube.DestinationPort.Lo);
            return candidateScratch;
        }

        private void AddBuckets(Dictionary<ulong, List<int>> index, bool keyed, ulong key)
        {
            if (keyed)
            {
                List<int>? bucket = Lookup(index, key);
                if (bucket != null)
                {
                    candidateScratch.AddRange(bucket);
                    budget.Charge(bucket.Count);
                }

                return;
            }

            foreach (List<int> bucket in index.Values)
            {
                candidateScratch.AddRange(bucket);
                budget.Charge(bucket.Count);
            }
        }

        /// <summary>log2 of the number of headers in the cube.</summary>
        private static double LogVolume(in HeaderCube cube) =>
            Math.Log(cube.Protocol.Hi - cube.Protocol.Lo + 1, 2) + Math.Log(cube.SourcePort.Hi - cube.SourcePort.Lo + 1, 2) +
            Math.Log(cube.DestinationPort.Hi - cube.DestinationPort.Lo + 1, 2) + FreeBits(cube.Source) + FreeBits(cube.Destination) +
            (cube.Connection == ConnectionStates.All ? 1 : 0);

        private static int FreeBits(in Ternary address) => 128 - PopCount(address.CareHi) - PopCount(address.CareLo);

        private static int PopCount(ulong value)
        {
            int count = 0;
            while (value != 0)
            {
                value &= value - 1;
                count++;
            }

            return count;
        }

        /// <summary>True when some earlier line matches the witness; remembers one that contains the whole cube.</summary>
        private bool Covered(in HeaderPoint point, in HeaderCube cube, ref int containing, List<int> covering)
        {
            bool covered = false;
            covered |= Scan(Lookup(byDestinationNarrow, PointNarrowKey(point.DestinationHi, point.DestinationLo)), point, cube, ref containing, covering);
            covered |= Scan(Lookup(byDestinationWide, PointWideKey(point.DestinationHi, point.DestinationLo)), point, cube, ref containing, covering);
            covered |= Scan(Lookup(bySourceNarrow, PointNarrowKey(point.SourceHi, point.SourceLo)), point, cube, ref containing, covering);
            covered |= Scan(Lookup(bySourceWide, PointWideKey(point.SourceHi, point.SourceLo)), point, cube, ref containing, covering);
            covered |= Scan(Lookup(byDestinationPort, (ulong)point.DestinationPort), point, cube, ref containing, covering);
            covered |= Scan(unindexed, point, cube, ref containing, covering);
            return covered;
        }

        /// <summary>
        /// Scans a bucket for entries matching the witness. Every entry that contains the whole cube contains the
        /// witness, and the buckets of the witness hold every entry that can, so the earliest container is found here.
        /// Buckets hold indexes in ascending order, so a bucket's scan ends at its first container.
        /// </summary>
        private bool Scan(List<int>? bucket, in HeaderPoint point, in HeaderCube cube, ref int containing, List<int> covering)
        {
            if (bucket is null)
            {
                return false;
            }

            bool covered = false;
            foreach (int index in bucket)
            {
                budget.Charge(1);
                HeaderCube candidate = entries[index].Cube;
                if (!candidate.Contains(point))
                {
                    continue;
                }

                covered = true;
                if (candidate.Contains(cube))
                {
                    if (containing < 0 || index < containing)
                    {
                        containing = index;
                    }

                    break;
                }

                if (covering.Count < MaxHints)
                {
                    covering.Add(index);
                }
            }

            return covered;
        }

        /// <summary>Witness 0 takes the lowest free values, 1 the highest, the rest pseudo-random ones.</summary>
        private static HeaderPoint Witness(in HeaderCube cube, int which, ref ulong seed)
        {
            HeaderPoint preferred;
            if (which == 0)
            {
                preferred = new HeaderPoint(0, 0, 0, 0, 0, 0, 0, ConnectionStates.Opening);
            }
            else if (which == 1)
            {
                preferred = new HeaderPoint(255, ulong.MaxValue, ulong.MaxValue, 65535, ulong.MaxValue, ulong.MaxValue, 65535, ConnectionStates.Established);
            }
            else
            {
                preferred = new HeaderPoint(
                    Random(cube.Protocol, ref seed), Next(ref seed), Next(ref seed), Random(cube.SourcePort, ref seed),
                    Next(ref seed), Next(ref seed), Random(cube.DestinationPort, ref seed), (Next(ref seed) & 1) == 0 ? ConnectionStates.Opening : ConnectionStates.Established);
            }

            return HeaderPoint.Nearest(cube, preferred);
        }

        private static int Random(in Interval interval, ref ulong seed) =>
            interval.Lo + (int)(Next(ref seed) % (ulong)(interval.Hi - interval.Lo + 1));

        private static ulong Next(ref ulong seed)
        {
            // xorshift64*: cheap, deterministic, good enough to scatter witnesses.
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            return seed * 0x2545F4914F6CDD1DUL;
        }

        private bool NarrowKey(in Ternary address, out ulong key)
        {
            bool fixedBits = ipv6 ? address.CareHi == ulong.MaxValue : (address.CareLo & 0xFFFFFF00UL) == 0xFFFFFF00UL;
            key = fixedBits ? PointNarrowKey(address.Hi, address.Lo) : 0;
            return fixedBits;
        }

        private bool WideKey(in Ternary address, out ulong key)
        {
            bool fixedBits = ipv6 ? (address.CareHi >> 32) == 0xFFFFFFFFUL : (address.CareLo & 0xFFFF0000UL) == 0xFFFF0000UL;
            key = fixedBits ? PointWideKey(address.Hi, address.Lo) : 0;
            return fixedBits;
        }

        private ulong PointNarrowKey(ulong hi, ulong lo) => ipv6 ? hi : (lo >> 8) & 0xFFFFFFUL;

        private ulong PointWideKey(ulong hi, ulong lo) => ipv6 ? hi >> 32 : (lo >> 16) & 0xFFFFUL;

        private static List<int> Bucket(Dictionary<ulong, List<int>> index, ulong key)
        {
            if (!index.TryGetValue(key, out List<int>? bucket))
            {
                index[key] = bucket = new List<int>();
            }

            return bucket;
        }

        private static List<int>? Lookup(Dictionary<ulong, List<int>> index, ulong key) =>
            index.TryGetValue(key, out List<int>? bucket) ? bucket : null;
    }
}
