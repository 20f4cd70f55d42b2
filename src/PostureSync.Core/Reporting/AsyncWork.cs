using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

namespace PostureSync.Core.Reporting
{
    /// <summary>The one bridge from the core's async work to a caller that must stay on its own thread (a cmdlet).</summary>
    internal static class AsyncWork
    {
        /// <summary>
        /// Runs <paramref name="work"/> to its end while the calling thread hands each line the work queued, from any
        /// thread, to <paramref name="write"/> as it comes: a cmdlet may write only from its pipeline thread. The work's
        /// own exception is thrown as it is (not wrapped), so failures and cancellation map as they would if called directly.
        /// </summary>
        public static T RunToEnd<T>(Func<Task<T>> work, ConcurrentQueue<string> lines, Action<string> write)
        {
            Task<T> task = Task.Run(work);
            while (!task.IsCompleted)
            {
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne(100);
                Drain();
            }

            Drain();
            return task.GetAwaiter().GetResult();

            void Drain()
            {
                while (lines.TryDequeue(out string? line))
                {
                    write(line);
                }
            }
        }
    }
}
