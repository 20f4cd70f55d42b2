using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Reporting;
using Xunit;

namespace PostureSync.Core.Tests.Reporting
{
    public sealed class AsyncWorkTests
    {
        [Fact]
        public void LinesQueuedFromOtherThreadsAreWrittenOnTheCallingThreadInOrder()
        {
            var lines = new ConcurrentQueue<string>();
            var written = new List<(string Line, int Thread)>();
            int caller = Environment.CurrentManagedThreadId;

            int answer = AsyncWork.RunToEnd(
                async () =>
                {
                    for (int i = 1; i <= 3; i++)
                    {
                        await Task.Delay(20).ConfigureAwait(false);
                        lines.Enqueue("step " + i);
                    }

                    return 42;
                },
                lines,
                line => written.Add((line, Environment.CurrentManagedThreadId)));

            Assert.Equal(42, answer);
            Assert.Equal(new[] { "step 1", "step 2", "step 3" }, written.ConvertAll(w => w.Line));
            Assert.All(written, w => Assert.Equal(caller, w.Thread));
        }

        [Fact]
        public void TheWorksOwnExceptionIsThrownUnwrapped()
        {
            var failure = new PostureSyncException(ErrorIds.IseServerInvalid, FailureKind.InvalidArgument, "bad", "x");

            PostureSyncException thrown = Assert.Throws<PostureSyncException>(() =>
                AsyncWork.RunToEnd<int>(async () => { await Task.Yield(); throw failure; }, new ConcurrentQueue<string>(), _ => { }));

            Assert.Same(failure, thrown);
            Assert.ThrowsAny<OperationCanceledException>(() =>
                AsyncWork.RunToEnd<int>(() => Task.FromCanceled<int>(new CancellationToken(true)), new ConcurrentQueue<string>(), _ => { }));
        }
    }
}
