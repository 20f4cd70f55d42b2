using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Probing;
using Xunit;

namespace PostureSync.Core.Tests.Probing
{
    public class OrderedResultQueueTests
    {
        [Fact]
        public void ResultsComeOutInInputOrderWhateverOrderTheyFinishIn()
        {
            var first = new TaskCompletionSource<IReadOnlyList<string>>();
            var second = new TaskCompletionSource<IReadOnlyList<string>>();
            var queue = new OrderedResultQueue<string>();
            queue.Add(first.Task);
            queue.Add(second.Task);

            second.SetResult(new[] { "b1", "b2" });
            Assert.Empty(queue.TakeCompleted());

            first.SetResult(new[] { "a" });
            Assert.Equal(new[] { "a", "b1", "b2" }, queue.TakeCompleted());
            Assert.Equal(0, queue.Count);
        }

        [Fact]
        public void TakeAllBlocksPerItemAndStopsOnCancellation()
        {
            var never = new TaskCompletionSource<IReadOnlyList<int>>();
            var queue = new OrderedResultQueue<int>();
            queue.Add(Task.FromResult<IReadOnlyList<int>>(new[] { 1 }));
            queue.Add(never.Task);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
            var seen = new List<int>();

            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (int item in queue.TakeAll(cancel.Token))
                {
                    seen.Add(item);
                }
            });

            Assert.Equal(new[] { 1 }, seen);
        }

        [Fact]
        public void AFailureSurfacesAsItselfNotWrapped()
        {
            var queue = new OrderedResultQueue<int>();
            queue.Add(Task.FromException<IReadOnlyList<int>>(new InvalidOperationException("boom")));

            Assert.Throws<InvalidOperationException>(() => queue.TakeAll(CancellationToken.None).ToList());
        }
    }
}
