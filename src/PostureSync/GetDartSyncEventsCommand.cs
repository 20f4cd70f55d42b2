using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PostureSync.Core;
using PostureSync.Core.AgentLog;
using PostureSync.Core.Dart;
using PostureSync.Core.Platform;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>The agent's state-sync story as typed events, out of DART bundles, folders and posture logs.</summary>
    [Cmdlet(VerbsCommon.Get, "DartSyncEvents", DefaultParameterSetName = PathSet)]
    [Alias("Get-DartSyncEvent")]
    [OutputType(typeof(DartSyncEvent))]
    public sealed class GetDartSyncEventsCommand : PostureSyncCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>How many written events, with the pipeline's own per-object cost, make about 20 MB of garbage.</summary>
        private const int EventsPerYoungCollection = 20000;

        /// <summary>
        /// Growth of the heap between two of those collections that means the events are kept: a third of what
        /// 20,000 events with their pipeline wrappers take (about 300 bytes each).
        /// </summary>
        private const long KeptBytesThreshold = 2L << 20;

        private DartSyncEventReader? reader;
        private bool collectYoung = true;
        private long heapAfterCollection;
        private bool sawInput;
        private long written;

        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>Keep records logged at or after this time (endpoint wall-clock time; the DateTime's Kind is ignored).</summary>
        [Parameter]
        public DateTime? After { get; set; }

        /// <summary>Keep records logged at or before this time.</summary>
        [Parameter]
        public DateTime? Before { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EventTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? EventType { get; set; }

        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>With no path: how long the live log's tool (wevtutil, log, journalctl) may run before it is stopped.</summary>
        [Parameter]
        [ValidateRange(PostureSyncRule.MinToolTimeoutSec, PostureSyncRule.MaxTimeoutSec)]
        public double TimeoutSec { get; set; } = LiveLogLimits.DefaultTimeoutSec;

        protected override void BeginProcessing()
        {
            if (After.HasValue && Before.HasValue && After.Value > Before.Value)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.InvalidTimeRange, FailureKind.InvalidArgument, $"-After ({After.Value:s}) is later than -Before ({Before.Value:s}).", After.Value)
                {
                    RecommendedAction = "Swap the two times.",
                });
            }

            var query = new DartSyncEventQuery { After = After, Before = Before, EventTypes = EventType, All = All.IsPresent };
            reader = StopOnFailure(() => DartSyncEventReader.ReportingTo(query, Reporter));
        }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            string[]? paths = literal ? LiteralPath : Path;
            if (paths is null)
            {
                return;
            }

            sawInput = true;
            foreach (string path in ResolveInputPaths(paths, literal))
            {
                WriteVerbose($"Reading posture log events from '{path}'.");
                try
                {
                    foreach (DartSyncEvent e in reader!.Read(path))
                    {
                        Write(e);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                finally
                {
                    DartSyncEventReader.ReportDone(Reporter);
                }
            }
        }

        /// <summary>No path: the agent's live log on this endpoint (the Windows event log, the macOS unified log, the Linux journal).</summary>
        protected override void EndProcessing()
        {
            if (sawInput)
            {
                return;
            }

            OsPlatformKind os = OsPlatformDetector.Current;
            var limits = new LiveLogLimits(TimeSpan.FromSeconds(TimeoutSec), LiveLogLimits.Default.MaxChars);
            WriteVerbose($"No path given: reading the posture agent's live log from {LiveLogSources.Describe(os)}.");
            try
            {
                foreach (DartSyncEvent e in reader!.ReadLive(LiveLogSources.ForCurrentSystem(limits), After))
                {
                    Write(e);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        private void Write(DartSyncEvent e)
        {
            WriteObject(e);
            if (collectYoung && ++written % EventsPerYoungCollection == 0)
            {
                CollectYoung();
            }
        }

        /// <summary>
        /// Every event is garbage once written when the pipeline only counts, filters or formats them, but the
        /// runtime sizes its young generation from the CPU cache (tens of MB on servers) and lets it fill before
        /// collecting: over a 500 MB log that shows as that much more memory in the user's session. A young
        /// collection now and then keeps the footprint flat for a few milliseconds per 500 MB. When the consumer
        /// keeps the events (<c>$events = ...</c>), a collection frees nothing and only moves them early, at a cost
        /// that grows with the events kept, so the collections stop once one shows that the written events survive.
        /// </summary>
        private void CollectYoung()
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            long heap = GC.GetTotalMemory(forceFullCollection: false);
            if (heapAfterCollection > 0 && heap - heapAfterCollection > KeptBytesThreshold)
            {
                collectYoung = false;
            }

            heapAfterCollection = heap;
        }

        /// <summary>Tab-completes -EventType from the fixed vocabulary.</summary>
        public sealed class EventTypeCompleter : IArgumentCompleter
        {
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            {
                string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
                return DartSyncEventTypes.Names
                    .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
            }
        }
    }
}
