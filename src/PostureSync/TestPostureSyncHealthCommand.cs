using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Acl;
using PostureSync.Core.AgentLog;
using PostureSync.Core.Health;
using PostureSync.Core.Net;
using PostureSync.Core.Platform;
using PostureSync.Core.Probing;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>The tech note's troubleshooting walk in one verdict, live on this endpoint or offline from DART bundles.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "PostureSyncHealth", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(HealthReport), typeof(bool))]
    public sealed class TestPostureSyncHealthCommand : PostureSyncCmdlet
    {
        private const string LiveSet = "Live";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private readonly List<HealthReport> quietReports = new List<HealthReport>();
        private HealthCheck? check;
        private bool sawPath;

        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        [Parameter]
        public PostureStatus PostureStatus { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DaclPath { get; set; }

        [Parameter]
        [ValidateRange(PostureSyncRule.MinPort, PostureSyncRule.MaxPort)]
        public int Port { get; set; } = PostureSyncRule.SyncPort;

        [Parameter(ParameterSetName = LiveSet)]
        [ValidateRange(PostureSyncRule.MinTimeoutSec, PostureSyncRule.MaxTimeoutSec)]
        public double TimeoutSec { get; set; } = 2;

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void BeginProcessing()
        {
            var options = new HealthCheckOptions
            {
                PostureStatus = MyInvocation.BoundParameters.ContainsKey(nameof(PostureStatus)) ? PostureStatus : (PostureStatus?)null,
                Port = Port,
                TimeoutSec = TimeoutSec,
            };
            if (DaclPath != null)
            {
                string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(DaclPath);
                WriteVerbose($"Reading the dACL from '{file}'.");
                options.Dacl = StopOnFailure(() => AclFile.ReadDocument(file, DaclPath));
            }

            check = new HealthCheck(options, ResolverFromEnvironment(), StopOnFailure(HostResolvers.Offline), Reporter);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LiveSet)
            {
                return;
            }

            sawPath = true;
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveInputPaths((literal ? LiteralPath : Path) ?? Array.Empty<string>(), literal).SelectMany(check!.BundlesIn))
            {
                BundleHealth outcome = check.CheckBundle(path, DateTime.Now);
                if (outcome.Unusable != null)
                {
                    WriteFailure(outcome.Unusable);
                }
                else
                {
                    Emit(outcome.Report!);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (sawPath)
            {
                check!.Finish();
            }
            else
            {
                Emit(check!.CheckLive(AgentLocations.ForCurrentSystem(), LiveAgentLog.ForCurrentSystem(), DateTime.Now));
            }

            if (Quiet)
            {
                WriteObject(quietReports.Count > 0 && quietReports.All(r => r.Status == HealthStatuses.Healthy));
            }
        }

        private void Emit(HealthReport report)
        {
            if (Quiet)
            {
                quietReports.Add(report);
            }
            else
            {
                WriteObject(report);
            }
        }
    }
}
