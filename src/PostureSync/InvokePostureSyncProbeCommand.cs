using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Probing;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>The agent's kind of HTTPS probe to each PSN's state-sync port, reporting what is observable.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "PostureSyncProbe", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ProbeResult))]
    public sealed class InvokePostureSyncProbeCommand : PostureSyncCmdlet
    {
        // Each target with the posture status it was given with: piped results carry their own.
        private readonly List<(ProbeTarget Target, PostureStatus? Posture)> targets = new List<(ProbeTarget, PostureStatus?)>();

        // The same aliases as Test-PostureSyncPort, in the same order: the first one an object carries binds.
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
        [ValidateRange(PostureSyncRule.MinTimeoutSec, PostureSyncRule.MaxTimeoutSec)]
        public double TimeoutSec { get; set; } = 2;

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; } = 1;

        [Parameter]
        [ValidateRange(0.0, PostureSyncRule.MaxIntervalSec)]
        public double IntervalSec { get; set; } = 10;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string RequestPath { get; set; } = "/";

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>
        /// Bound by property name too, so Test-PostureSyncPort's results carry their status into the probe and the
        /// alarm guard (stop before TLS while Compliant or NonCompliant) holds through the pipeline.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyAsNull]
        public PostureStatus? PostureStatus { get; set; }

        [Parameter]
        public AddressFamilyFilter AddressFamily { get; set; } = AddressFamilyFilter.Any;

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string text in TargetName)
            {
                try
                {
                    ProbeTarget target = ProbeTarget.Parse(text, Port);
                    if (ShouldProcess(target.ToString(), Action(PostureStatus)))
                    {
                        targets.Add((target, PostureStatus));
                    }
                }
                catch (PostureSyncException ex)
                {
                    WriteFailure(ex);
                }
            }
        }

        /// <summary>What the probe will do to a target, for -WhatIf and -Confirm.</summary>
        private string Action(PostureStatus? posture)
        {
            bool stopsBeforeTls = posture.HasValue && PostureSyncRule.PortMustBeBlocked(posture.Value) && !Force;
            string rounds = Count > 1 ? " (" + Count.ToString(CultureInfo.InvariantCulture) + " rounds)" : string.Empty;
            return stopsBeforeTls
                ? "Connect by TCP and, if the port answers, stop before TLS (posture " + posture + ")" + rounds
                : "Send an HTTPS GET " + RequestPath + rounds + " (the TLS handshake and the request reach the server)";
        }

        protected override void EndProcessing()
        {
            // One run per posture status, in the order the statuses came: each keeps its own alarm guard.
            foreach (IGrouping<PostureStatus?, (ProbeTarget Target, PostureStatus? Posture)> group in targets.GroupBy(t => t.Posture))
            {
                if (!Probe(group.Select(t => t.Target).ToList(), group.Key))
                {
                    return;
                }
            }
        }

        /// <summary>Probes targets given with one posture status; false when the user stopped it.</summary>
        private bool Probe(List<ProbeTarget> batch, PostureStatus? posture)
        {
            var options = new HttpsProbeOptions
            {
                TimeoutSec = TimeoutSec,
                Count = Count,
                IntervalSec = IntervalSec,
                RequestPath = RequestPath,
                SkipCertificateCheck = SkipCertificateCheck,
                PostureStatus = posture,
                Force = Force,
                AddressFamily = AddressFamily,
                UserAgentVersion = typeof(InvokePostureSyncProbeCommand).Assembly.GetName().Version!.ToString(3),
            };

            HttpsProber prober = StopOnFailure(() => new HttpsProber(options, ResolverFromEnvironment()));

            var progress = new ProgressRecord(1, "Invoke-PostureSyncProbe", "Round 1 of " + Count.ToString(CultureInfo.InvariantCulture));
            int round = 0;
            using (prober)
            {
                try
                {
                    foreach (ProbeResult result in prober.Run(batch, Cancellation))
                    {
                        if (Count > 1 && result.Sequence != round)
                        {
                            round = result.Sequence;
                            progress.StatusDescription = "Round " + round.ToString(CultureInfo.InvariantCulture) + " of " + Count.ToString(CultureInfo.InvariantCulture);
                            progress.PercentComplete = (int)(100.0 * (round - 1) / Count);
                            WriteProgress(progress);
                        }

                        WriteVerbose("Round " + result.Sequence.ToString(CultureInfo.InvariantCulture) + ", " + result.TargetName + " (" + result.TargetAddress + "): " + result.Outcome + ".");
                        WriteObject(result);
                    }
                }
                catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
                {
                    return false;
                }
            }

            if (Count > 1)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }

            return true;
        }
    }
}
