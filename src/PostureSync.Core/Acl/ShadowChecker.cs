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
    /// Total work is bounded; past the bound the check stops and says so.
    /// </summary>
    internal sealed class ShadowChecker
    {
        /// <summary>Cube comparisons allowed for one list (about a second of work on a slow machine).</summary>
        public const long DefaultWorkBudget = 100_000_000;

        /// <summary>Pieces one line's uncovered remainder may split into before its exact test is abandoned.</summary>
        public const int MaxPieces = 20000;

        private const int WitnessesPerCube = 4;

        private readonly bool ipv6;
        private readonly long budget;
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
        private long work;

        public ShadowChecker(bool ipv6, long budget)
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

            /// <summary>The work budget for the list is spent.</summary>
            GaveUp,
        }

        /// <summary>Whether the union of the earlier exact lines added so far covers <paramref name="line"/>.</summary>
        public Outcome Check(AclLine line, out IReadOnlyList<AclLine> blockers)
        {
            blockers = new List<AclLine>();
            if (entries.Count == 0)
            {
                return Outcome.NotShadowed;
            }

            if (work > budget)
            {
                return Outcome.GaveUp;
            }

            var containing = new int[line.Cubes.Count];
            for (int c = 0; c < line.Cubes.Count; c++)
            {
                HeaderCube cube = line.Cubes[c];
                containing[c] = -1;
                ulong seed = (ulong)line.LineNumber * 0x9E3779B97F4A7C15UL + (ulong)c;
                for (int w = 0; w < WitnessesPerCube; w++)
                {
                    HeaderPoint witness = Witness(cube, w, ref seed);
                    if (!Covered(witness, cube, ref containing[c]))
                    {
                        return Outcome.NotShadowed;
                    }
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

                Outcome exact = Subtract(line.Cubes[c], found);
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

        private Outcome Subtract(HeaderCube cube, SortedDictionary<int, AclLine> found)
        {
            List<HeaderCube> remaining = piecesA;
            List<HeaderCube> next = piecesB;
            remaining.Clear();
            remaining.Add(cube);
            foreach ((HeaderCube blocker, AclLine line) in entries)
            {
                work++;
                if (!blocker.Intersects(cube))
                {
                    continue;
                }

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

                work += remaining.Count;
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

                if (work > budget)
                {
                    return Outcome.GaveUp;
                }
            }

            return Outcome.NotShadowed;
        }

        /// <summary>True when some earlier line matches the witness; remembers one that contains the whole cube.</summary>
        private bool Covered(in HeaderPoint point, in HeaderCube cube, ref int containing)
        {
            bool covered = false;
            covered |= Scan(Lookup(byDestinationNarrow, PointNarrowKey(point.DestinationHi, point.DestinationLo)), point, cube, ref containing);
            covered |= Scan(Lookup(byDestinationWide, PointWideKey(point.DestinationHi, point.DestinationLo)), point, cube, ref containing);
            covered |= Scan(Lookup(bySourceNarrow, PointNarrowKey(point.SourceHi, point.SourceLo)), point, cube, ref containing);
            covered |= Scan(Lookup(bySourceWide, PointWideKey(point.SourceHi, point.SourceLo)), point, cube, ref containing);
            covered |= Scan(Lookup(byDestinationPort, (ulong)point.DestinationPort), point, cube, ref containing);
            covered |= Scan(unindexed, point, cube, ref containing);
            return covered;
        }

        private bool Scan(List<int>? bucket, in HeaderPoint point, in HeaderCube cube, ref int containing)
        {
            if (bucket is null)
            {
                return false;
            }

            bool covered = false;
            foreach (int index in bucket)
            {
                work++;
                HeaderCube candidate = entries[index].Cube;
                if (!candidate.Contains(point))
                {
                    continue;
                }

                covered = true;
                if (containing < 0 && candidate.Contains(cube))
                {
                    containing = index;
                }

                if (containing >= 0)
                {
                    return true;
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
                preferred = new HeaderPoint(0, 0, 0, 0, 0, 0, 0, ConnectionState.Opening);
            }
            else if (which == 1)
            {
                preferred = new HeaderPoint(255, ulong.MaxValue, ulong.MaxValue, 65535, ulong.MaxValue, ulong.MaxValue, 65535, ConnectionState.Established);
            }
            else
            {
                preferred = new HeaderPoint(
                    Random(cube.Protocol, ref seed), Next(ref seed), Next(ref seed), Random(cube.SourcePort, ref seed),
                    Next(ref seed), Next(ref seed), Random(cube.DestinationPort, ref seed), (Next(ref seed) & 1) == 0 ? ConnectionState.Opening : ConnectionState.Established);
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
