using System;
using System.Diagnostics;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// How much analysis one input may cost: a count of work units (each a cube comparison or a kept index, so it
    /// bounds allocation as well as time) and a wall-clock limit. Shared by every list of a document, so a thousand
    /// small lists cannot each spend a whole budget.
    /// </summary>
    internal sealed class WorkBudget
    {
        /// <summary>Units for one document: well under a second of work, and a few MB of scratch, on a slow machine.</summary>
        public const long DefaultUnits = 15_000_000;

        /// <summary>Wall time for one document's optional analysis (shadowing); a loaded machine reaches it before the units.</summary>
        public static readonly TimeSpan DefaultTime = TimeSpan.FromSeconds(0.5);

        private const long ClockCheckEvery = 1 << 14;

        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly TimeSpan time;
        private long remaining;
        private long sinceClockCheck;
        private bool spent;

        public WorkBudget(long units, TimeSpan time)
        {
            Units = units;
            remaining = units;
            this.time = time;
        }

        public static WorkBudget Default() => new WorkBudget(DefaultUnits, DefaultTime);

        /// <summary>True once the units or the time are used up; stays true.</summary>
        public bool Spent
        {
            get
            {
                if (!spent && (remaining < 0 || (sinceClockCheck >= ClockCheckEvery && TimeIsUp())))
                {
                    spent = true;
                }

                return spent;
            }
        }

        /// <summary>The units this budget started with.</summary>
        public long Units { get; }

        /// <summary>The units not yet charged (below zero once overspent).</summary>
        public long Remaining => remaining;

        public void Charge(long units)
        {
            remaining -= units;
            sinceClockCheck += units;
        }

        private bool TimeIsUp()
        {
            sinceClockCheck = 0;
            return clock.Elapsed > time;
        }
    }
}
