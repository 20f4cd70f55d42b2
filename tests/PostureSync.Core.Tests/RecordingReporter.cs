using System.Collections.Generic;
using System.Threading;

namespace PostureSync.Core.Tests
{
    /// <summary>Keeps everything a core operation reports, so tests can assert on each stream.</summary>
    internal sealed class RecordingReporter : IOperationReporter
    {
        public RecordingReporter(CancellationToken cancellation = default) => Cancellation = cancellation;

        public CancellationToken Cancellation { get; }

        public List<PostureSyncException> Failures { get; } = new List<PostureSyncException>();

        public List<string> Warnings { get; } = new List<string>();

        public List<string> VerboseMessages { get; } = new List<string>();

        public List<OperationProgress> ProgressReports { get; } = new List<OperationProgress>();

        public void Failure(PostureSyncException failure) => Failures.Add(failure);

        public void Warning(string message) => Warnings.Add(message);

        public void Verbose(string message) => VerboseMessages.Add(message);

        public void Progress(OperationProgress progress) => ProgressReports.Add(progress);
    }
}
