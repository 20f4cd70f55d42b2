using System;
using System.Collections.Generic;

namespace PostureSync.Core.Dart
{
    /// <summary>Which records to keep; applied while the log streams by, before a kept record's strings are built.</summary>
    internal sealed class DartSyncEventQuery
    {
        /// <summary>
        /// Keep records logged at or after this wall-clock time. Log times carry no zone, so only the date and time of
        /// day are compared; the DateTime's Kind is ignored.
        /// </summary>
        public DateTime? After { get; set; }

        /// <summary>Keep records logged at or before this wall-clock time (Kind ignored, as for <see cref="After"/>).</summary>
        public DateTime? Before { get; set; }

        /// <summary>Types to keep, any case; null or empty means every state-sync type (all but Other).</summary>
        public IReadOnlyCollection<string>? EventTypes { get; set; }

        /// <summary>Also keep records of no state-sync meaning, as type Other.</summary>
        public bool All { get; set; }

        /// <summary>One flag per type code; throws for a name outside the vocabulary.</summary>
        internal bool[] WantedCodes()
        {
            var wanted = new bool[DartSyncEventTypes.Count];
            if (EventTypes is null || EventTypes.Count == 0)
            {
                for (int i = 0; i < DartSyncEventTypes.OtherCode; i++)
                {
                    wanted[i] = true;
                }
            }
            else
            {
                foreach (string name in EventTypes)
                {
                    int code = DartSyncEventTypes.CodeOf(name);
                    if (code < 0)
                    {
                        throw new PostureSyncException(
                            ErrorIds.InvalidEventType,
                            FailureKind.InvalidArgument,
                            $"'{name}' is not an event type. Valid types: {string.Join(", ", DartSyncEventTypes.Names)}.",
                            name);
                    }

                    wanted[code] = true;
                }
            }

            if (All)
            {
                wanted[DartSyncEventTypes.OtherCode] = true;
            }

            return wanted;
        }
    }
}
