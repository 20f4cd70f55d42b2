using System;
using System.Threading;
using PostureSync.Core;
using PostureSync.Core.Health;
using PostureSync.Core.Net;

namespace PostureSync.Fuzz
{
    /// <summary>The offline health walk over one bundle, exactly as Test-PostureSyncHealth -Path runs it.</summary>
    internal static class HealthBundle
    {
        internal static string Check(string path)
        {
            IHostResolver offline = HostResolvers.Offline();
            var check = new HealthCheck(new HealthCheckOptions(), offline, offline, new SilentReporter());
            BundleHealth outcome = check.CheckBundle(path, DateTime.Now);
            return outcome.Report?.Status ?? outcome.Unusable!.ErrorId;
        }

        private sealed class SilentReporter : IOperationReporter
        {
            public CancellationToken Cancellation => CancellationToken.None;

            public void Failure(PostureSyncException failure)
            {
            }

            public void Warning(string message)
            {
            }

            public void Verbose(string message)
            {
            }

            public void Progress(OperationProgress progress)
            {
            }
        }
    }
}
