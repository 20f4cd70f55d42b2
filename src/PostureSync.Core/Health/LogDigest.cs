using System.Collections.Generic;
using PostureSync.Core.Dart;

namespace PostureSync.Core.Health
{
    /// <summary>
    /// Streams an agent log through and keeps only the events the verdict reads (<see cref="HealthEvaluator"/>): the
    /// first state-sync error, the last logged posture status, the last probing start with the status that armed it,
    /// and the first error and first probe since that start. Judged again, the kept events give the same verdict as
    /// the whole log, so a log of millions of events costs a handful of objects, not one per event.
    /// </summary>
    internal sealed class LogDigest
    {
        private (long Index, DartSyncEvent Event)? firstError;
        private (long Index, DartSyncEvent Event)? lastStatus;
        private (long Index, DartSyncEvent Event)? latestArming;
        private (long Index, DartSyncEvent Event)? arming;
        private (long Index, DartSyncEvent Event)? start;
        private (long Index, DartSyncEvent Event)? windowError;
        private (long Index, DartSyncEvent Event)? windowProbe;

        /// <summary>How many events went through.</summary>
        public long Count { get; private set; }

        /// <summary>The kept events, in log order, from <paramref name="events"/> read to the end.</summary>
        public static IReadOnlyList<DartSyncEvent> Keep(IEnumerable<DartSyncEvent> events, out long count)
        {
            var digest = new LogDigest();
            foreach (DartSyncEvent e in events)
            {
                digest.Add(e);
            }

            count = digest.Count;
            return digest.Kept();
        }

        public void Add(DartSyncEvent e)
        {
            long index = Count++;
            string type = e.EventType;
            if (type == DartSyncEventTypes.PostureStatus)
            {
                // Any status arms the next probing start (as SinceLastProbingStart reads it); only a valued one decides the posture.
                latestArming = (index, e);
                if (e.PostureStatusValue != null)
                {
                    lastStatus = (index, e);
                }

                return;
            }

            if (type == DartSyncEventTypes.SyncProbeControl && latestArming != null)
            {
                arming = latestArming;
                latestArming = null;
                start = (index, e);
                windowError = null;
                windowProbe = (index, e);
                return;
            }

            if (type == DartSyncEventTypes.SyncProbeError)
            {
                firstError ??= (index, e);
                windowError ??= (index, e);
            }
            else if (type == DartSyncEventTypes.SyncProbe || type == DartSyncEventTypes.SyncProbeControl)
            {
                windowProbe ??= (index, e);
            }
        }

        private IReadOnlyList<DartSyncEvent> Kept()
        {
            var kept = new SortedDictionary<long, DartSyncEvent>();
            foreach ((long Index, DartSyncEvent Event)? item in new[] { firstError, lastStatus, arming, start, windowError, windowProbe })
            {
                if (item is (long index, DartSyncEvent e))
                {
                    kept[index] = e;
                }
            }

            return new List<DartSyncEvent>(kept.Values);
        }
    }
}
