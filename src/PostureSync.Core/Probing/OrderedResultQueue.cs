using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PostureSync.Core.Probing
{
    /// <summary>
    /// Work started in input order, handed back in input order as it completes. The cmdlet adds work as pipeline
    /// input arrives, writes what is ready without blocking, and at the end blocks for the rest; all of that runs on
    /// the pipeline thread, which is the only thread allowed to write output.
    /// </summary>
    internal sealed class OrderedResultQueue<T>
    {
        private readonly Queue<Task<IReadOnlyList<T>>> pending = new Queue<Task<IReadOnlyList<T>>>();

        /// <summary>Work not yet handed back.</summary>
        public int Count => pending.Count;

        public void Add(Task<IReadOnlyList<T>> work) => pending.Enqueue(work ?? throw new ArgumentNullException(nameof(work)));

        /// <summary>The results of the leading work that has finished; never blocks.</summary>
        public IReadOnlyList<T> TakeCompleted()
        {
            var ready = new List<T>();
            while (pending.Count > 0 && pending.Peek().IsCompleted)
            {
                ready.AddRange(pending.Dequeue().GetAwaiter().GetResult());
            }

            return ready;
        }

        /// <summary>All remaining results in order, blocking for each piece of work; cancellation ends the wait at once.</summary>
        public IEnumerable<T> TakeAll(CancellationToken cancellationToken)
        {
            while (pending.Count > 0)
            {
                Task<IReadOnlyList<T>> next = pending.Peek();
                try
                {
                    next.Wait(cancellationToken);
                }
                catch (AggregateException)
                {
                    // GetResult below rethrows the original exception rather than the wrapper.
                }

                pending.Dequeue();
                foreach (T item in next.GetAwaiter().GetResult())
                {
                    yield return item;
                }
            }
        }
    }
}
