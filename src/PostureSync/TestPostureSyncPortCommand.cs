using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Probing;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>TCP reachability of each PSN's state-sync port from this endpoint, judged against the posture status.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PostureSyncPort")]
    [OutputType(typeof(PortTestResult), typeof(bool))]
    public sealed class TestPostureSyncPortCommand : PostureSyncCmdlet
    {
        private readonly OrderedResultQueue<PortTestResult> pending = new OrderedResultQueue<PortTestResult>();
        private readonly List<PortTestResult> quietResults = new List<PortTestResult>();
        private PortScanner? scanner;

        // The same aliases as Invoke-PostureSyncProbe, in the same order: the first one an object carries binds, so the
        // addresses Get-IsePsn gives win over its short Name, and a CSV of hosts binds whichever column names it.
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Psn", "ProbeTargets", "IPAddress", "ComputerName", "HostName", "Name")]
        [AllowEmptyCollection]
        [AllowEmptyString]
        [ValidateNotNull]
        public string[] TargetName { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(PostureSyncRule.MinPort, PostureSyncRule.MaxPort)]
        public int Port { get; set; } = PostureSyncRule.SyncPort;

        [Parameter]
        public PostureStatus PostureStatus { get; set; }

        [Parameter]
        [ValidateRange(PostureSyncRule.MinTimeoutSec, PostureSyncRule.MaxTimeoutSec)]
        public double TimeoutSec { get; set; } = 2;

        [Parameter]
        [ValidateRange(1, PostureSyncRule.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = 32;

        [Parameter]
        public AddressFamilyFilter AddressFamily { get; set; } = AddressFamilyFilter.Any;

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void BeginProcessing()
        {
            var options = new PortScanOptions
            {
                TimeoutSec = TimeoutSec,
                ThrottleLimit = ThrottleLimit,
                AddressFamily = AddressFamily,
                PostureStatus = MyInvocation.BoundParameters.ContainsKey(nameof(PostureStatus)) ? PostureStatus : (PostureStatus?)null,
            };
            scanner = StopOnFailure(() => PortScanner.ForEnvironment(options));
        }

        protected override void ProcessRecord()
        {
            foreach (string text in TargetName)
            {
                ProbeTarget target;
                try
                {
                    target = ProbeTarget.Parse(text, Port);
                }
                catch (PostureSyncException ex)
                {
                    WriteFailure(ex);
                    continue;
                }

                WriteVerbose("Testing TCP " + target + " (connect only, timeout " + TimeoutSec.ToString(CultureInfo.InvariantCulture) + " s).");
                pending.Add(scanner!.TestAsync(target, Cancellation));
            }

            Emit(pending.TakeCompleted());
        }

        protected override void EndProcessing()
        {
            using (scanner)
            {
                try
                {
                    Emit(pending.TakeAll(Cancellation));
                }
                catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
                {
                    return;
                }
            }

            if (Quiet)
            {
                // Targets -AddressFamily left out were not tested, so they neither pass nor fail; with nothing tested, false.
                bool withPosture = MyInvocation.BoundParameters.ContainsKey(nameof(PostureStatus));
                List<PortTestResult> tested = quietResults.FindAll(r => r.State != PortStates.Excluded);
                bool all = tested.Count > 0 && tested.TrueForAll(r => withPosture ? r.Verdict == Verdicts.Pass : r.State == PortStates.Open);
                WriteObject(all);
            }
        }

        private void Emit(IEnumerable<PortTestResult> results)
        {
            foreach (PortTestResult result in results)
            {
                if (Quiet)
                {
                    quietResults.Add(result);
                }
                else
                {
                    WriteObject(result);
                }
            }
        }
    }
}
