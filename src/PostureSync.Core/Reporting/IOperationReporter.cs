using System.Threading;

namespace PostureSync.Core
{
    /// <summary>
    /// The one channel from a core operation to whoever runs it (the cmdlet base class, or a test): failures of one
    /// item that let the operation go on, warnings, verbose notes, progress, and the cancellation to honour.
    /// </summary>
    internal interface IOperationReporter
    {
        /// <summary>Tripped by Ctrl+C or a stopped pipeline; long work checks it and stops within a second.</summary>
        CancellationToken Cancellation { get; }

        /// <summary>One item could not be handled; the operation goes on with the next.</summary>
        void Failure(PostureSyncException failure);

        void Warning(string message);

        void Verbose(string message);

        /// <summary>Shown at most a few times a second by the receiver, however often it is called.</summary>
        void Progress(OperationProgress progress);
    }

    /// <summary>How far a long operation has come.</summary>
    internal sealed class OperationProgress
    {
        public OperationProgress(string activity, string status)
        {
            Activity = activity;
            Status = status;
        }

        public string Activity { get; }

        public string Status { get; }

        public string? CurrentOperation { get; set; }

        /// <summary>0–100, or -1 when the total is not known.</summary>
        public int PercentComplete { get; set; } = -1;

        /// <summary>The activity is over; the receiver removes its progress bar.</summary>
        public bool Completed { get; set; }
    }
}
