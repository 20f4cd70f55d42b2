using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
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

        /// <summary>
        /// For the dACL check: PSN addresses to check it against instead of the profile's probe targets, and/or a
        /// hashtable from probe-target name to address(es), since names are not resolved offline.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? PsnAddress { get; set; }

        // In every set: offline, it bounds the name lookups of the dACL check's probe targets.
        [Parameter]
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
            ReadPsnAddress(options);
            if (DaclPath != null)
            {
                string file = ResolveDaclPath(DaclPath);
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

        /// <summary>-PsnAddress: plain entries are the PSNs to check the dACL against; a hashtable maps names to addresses.</summary>
        private void ReadPsnAddress(HealthCheckOptions options)
        {
            var addresses = new List<string>();
            var names = new List<KeyValuePair<string, IPAddress>>();
            foreach (object? item in PsnAddress ?? Array.Empty<object>())
            {
                object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
                if (value is IDictionary map)
                {
                    foreach (DictionaryEntry entry in map)
                    {
                        string name = entry.Key?.ToString() ?? string.Empty;
                        object? mapped = entry.Value is PSObject inner ? inner.BaseObject : entry.Value;
                        IEnumerable<object?> each = mapped is IEnumerable list && !(mapped is string) ? list.Cast<object?>() : new[] { mapped };
                        foreach (object? address in each)
                        {
                            string text = (address is PSObject one ? one.BaseObject : address)?.ToString() ?? string.Empty;
                            IPAddress? parsed = null;
                            if (name.Length == 0 || !IPAddress.TryParse(text.Trim(), out parsed))
                            {
                                ThrowFailure(new PostureSyncException(ErrorIds.PsnAddressInvalid, FailureKind.InvalidArgument,
                                    $"-PsnAddress maps '{name}' to '{text}', which is not an IP address.", text)
                                {
                                    RecommendedAction = "Map each probe-target name to its address: -PsnAddress @{ 'psn1.example.com' = '10.1.1.1' }.",
                                });
                            }

                            names.Add(new KeyValuePair<string, IPAddress>(name, parsed!));
                        }
                    }
                }
                else if (value != null && value.ToString().Trim().Length > 0)
                {
                    addresses.Add(value.ToString().Trim());
                }
            }

            options.PsnAddresses = addresses;
            options.PsnNames = names;
        }

        /// <summary>-DaclPath names one file; a wildcard is fine when it matches exactly one, as -Path's wildcards are.</summary>
        private string ResolveDaclPath(string daclPath)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(daclPath))
            {
                return SessionState.Path.GetUnresolvedProviderPathFromPSPath(daclPath);
            }

            List<string> matches;
            try
            {
                matches = SessionState.Path.GetResolvedProviderPathFromPSPath(daclPath, out _).ToList();
            }
            catch (ItemNotFoundException)
            {
                matches = new List<string>();
            }

            if (matches.Count == 0)
            {
                ThrowFailure(PathFailures.NoFileMatches(ErrorIds.DaclNotFound, daclPath, "Check the path; -DaclPath takes one dACL file, saved as text, av-pairs or 'show access-lists' output.", LiteralNameExists(daclPath), "dACL path"));
            }

            if (matches.Count > 1)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.DaclPathAmbiguous, FailureKind.InvalidArgument,
                    $"The dACL path '{daclPath}' matches {matches.Count} files ({string.Join(", ", matches.Take(5))}); -DaclPath takes one.", daclPath)
                {
                    RecommendedAction = "Name one file, or check several with Test-ComplianceDacl -Path.",
                });
            }

            return matches[0];
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
