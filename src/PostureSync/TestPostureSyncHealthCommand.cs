using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using PostureSync.Core;
using PostureSync.Core.Acl;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;
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
        private const string DartBundleInvalidId = "DartBundleInvalid";

        /// <summary>Progress goes out a few times a second at most, however fast bundles are checked.</summary>
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly List<HealthReport> quietReports = new List<HealthReport>();
        private readonly System.Diagnostics.Stopwatch sinceProgress = new System.Diagnostics.Stopwatch();
        private AclDocument? dacl;
        private IHostResolver? resolver;
        private readonly List<string> psnAddresses = new List<string>();
        private readonly List<KeyValuePair<string, IPAddress>> psnNames = new List<KeyValuePair<string, IPAddress>>();
        private bool sawPath;
        private int checkedCount;

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

        /// <summary>
        /// For the dACL check: PSN addresses to check it against instead of the profile's probe targets, and/or a
        /// hashtable from probe-target name to address(es), since names are not resolved offline.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? PsnAddress { get; set; }

        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 8449;

        // In every set: offline, it bounds the name lookups of the dACL check's probe targets.
        [Parameter]
        [ValidateRange(0.01, 3600.0)]
        public double TimeoutSec { get; set; } = 2;

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        private string? GivenPosture => MyInvocation.BoundParameters.ContainsKey(nameof(PostureStatus)) ? PostureStatus.ToString() : null;

        protected override void BeginProcessing()
        {
            try
            {
                resolver = ResolverFromEnvironment();
            }
            catch (PostureSyncException ex)
            {
                ThrowFailure(ex);
            }

            ReadPsnAddress();
            if (DaclPath is null)
            {
                return;
            }

            string file = ResolveDaclPath(DaclPath);

            WriteVerbose($"Reading the dACL from '{file}'.");
            try
            {
                dacl = AclParser.Parse(AclFile.Read(file), AclInputFormat.Auto, file);
            }
            catch (PostureSyncException ex)
            {
                ThrowFailure(ex);
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LiveSet)
            {
                return;
            }

            sawPath = true;
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveInputPaths((literal ? LiteralPath : Path) ?? Array.Empty<string>(), literal).SelectMany(BundlesIn))
            {
                checkedCount++;
                if (!sinceProgress.IsRunning || sinceProgress.Elapsed >= ProgressInterval)
                {
                    WriteProgress(new ProgressRecord(1, "Test-PostureSyncHealth", $"Checking DART bundles ({checkedCount} so far)") { StatusDescription = $"Bundle {checkedCount}: {path}" });
                    sinceProgress.Restart();
                }

                HealthEvidence? evidence = Offline(path);
                if (evidence != null)
                {
                    Emit(HealthEvaluator.Evaluate(evidence));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (sawPath)
            {
                if (sinceProgress.IsRunning)
                {
                    WriteProgress(new ProgressRecord(1, "Test-PostureSyncHealth", "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
            else
            {
                Emit(HealthEvaluator.Evaluate(Live()));
            }

            if (Quiet)
            {
                WriteObject(quietReports.Count > 0 && quietReports.All(r => r.Status == HealthStatuses.Healthy));
            }
        }

        /// <summary>-PsnAddress: plain entries are the PSNs to check the dACL against; a hashtable maps names to addresses.</summary>
        private void ReadPsnAddress()
        {
            foreach (object? item in PsnAddress ?? Array.Empty<object>())
            {
                object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
                if (value is IDictionary map)
                {
                    foreach (DictionaryEntry entry in map)
                    {
                        string name = entry.Key?.ToString() ?? string.Empty;
                        object? addresses = entry.Value is PSObject inner ? inner.BaseObject : entry.Value;
                        IEnumerable<object?> each = addresses is IEnumerable list && !(addresses is string) ? list.Cast<object?>() : new[] { addresses };
                        foreach (object? address in each)
                        {
                            string text = (address is PSObject one ? one.BaseObject : address)?.ToString() ?? string.Empty;
                            IPAddress? parsed = null;
                            if (name.Length == 0 || !IPAddress.TryParse(text.Trim(), out parsed))
                            {
                                ThrowFailure(new PostureSyncException("PsnAddressInvalid", FailureKind.InvalidArgument,
                                    $"-PsnAddress maps '{name}' to '{text}', which is not an IP address.", text)
                                {
                                    RecommendedAction = "Map each probe-target name to its address: -PsnAddress @{ 'psn1.example.com' = '10.1.1.1' }.",
                                });
                            }

                            psnNames.Add(new KeyValuePair<string, IPAddress>(name, parsed!));
                        }
                    }
                }
                else if (value != null && value.ToString().Trim().Length > 0)
                {
                    psnAddresses.Add(value.ToString().Trim());
                }
            }
        }

        /// <summary>-DaclPath names one file; a wildcard is fine when it matches exactly one, as -Path's wildcards are.</summary>
        private string ResolveDaclPath(string daclPath)
        {
            const string Advice = "Pass the dACL as text (one ACE per line), RADIUS av-pairs or 'show access-lists' output, saved to a file.";
            List<string> matches;
            if (WildcardPattern.ContainsWildcardCharacters(daclPath))
            {
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
                    ThrowFailure(new PostureSyncException("DaclNotFound", FailureKind.ObjectNotFound, $"No file matches the dACL path '{daclPath}'.", daclPath) { RecommendedAction = Advice });
                }

                if (matches.Count > 1)
                {
                    ThrowFailure(new PostureSyncException("DaclPathAmbiguous", FailureKind.InvalidArgument,
                        $"The dACL path '{daclPath}' matches {matches.Count} files ({string.Join(", ", matches.Take(5))}); -DaclPath takes one.", daclPath)
                    {
                        RecommendedAction = "Name one file, or check several with Test-ComplianceDacl -Path.",
                    });
                }

                return matches[0];
            }

            string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(daclPath);
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                ThrowFailure(new PostureSyncException("DaclNotFound", FailureKind.ObjectNotFound, $"Cannot find the dACL file '{daclPath}'.", daclPath) { RecommendedAction = Advice });
            }

            return file;
        }

        /// <summary>A folder of DART zips stands for each zip in it (<see cref="DartBundleFolder"/>); any other path is one bundle.</summary>
        private IEnumerable<string> BundlesIn(string path)
        {
            IReadOnlyList<string> zips = DartBundleFolder.BundlesIn(path);
            if (zips.Count == 0)
            {
                return new[] { path };
            }

            WriteVerbose($"'{path}' holds {zips.Count} DART bundle(s) and no extracted one: checking each bundle.");
            return zips;
        }

        private void Emit(HealthReport report)
        {
            WriteVerbose($"{report.Endpoint}: {report.Status} ({report.ChecksPassed} checks passed, {report.ChecksFailed} failed).");
            if (Quiet)
            {
                quietReports.Add(report);
            }
            else
            {
                WriteObject(report);
            }
        }

        private HealthEvidence Live()
        {
            var evidence = new HealthEvidence { Endpoint = Environment.MachineName, Source = HealthSources.Live, CheckedAt = DateTime.Now, PostureStatusGiven = GivenPosture };

            WriteVerbose("Profile check: the posture profile installed on this endpoint.");
            ChooseProfile(evidence, PostureProfileReader.ReadInstalled(AgentLocations.ForCurrentSystem(), ex => evidence.ProfileProblem ??= ex.ErrorId + ": " + ex.Message));

            PostureSyncException noLog = DartSyncEventReader.LogNotFound(OsPlatformDetector.Current);
            WriteVerbose($"Log check: skipped live. {noLog.Message}");
            evidence.LogProblem = noLog.Message;

            string posture = evidence.PostureStatusGiven ?? "Unknown";
            if (evidence.Profile != null && evidence.Profile.ProbeTargets.Length > 0)
            {
                WriteVerbose($"Port check: TCP {Port} on {string.Join(", ", evidence.Profile.ProbeTargets)}, judged for posture {posture} (connect only, timeout {TimeoutSec.ToString(CultureInfo.InvariantCulture)} s).");
                evidence.Ports = TestPorts(evidence.Profile.ProbeTargets, posture);
            }

            else
            {
                WriteVerbose("Port check: skipped, no probe targets to test.");
            }

            evidence.Dacl = CheckDacl(evidence, resolver!);
            return evidence;
        }

        /// <summary>
        /// What one bundle shows, offline; null when the bundle cannot be read at all (not a zip, or a damaged one),
        /// which is reported as a DartBundleInvalid error rather than as a report that would only say "nothing found".
        /// </summary>
        private HealthEvidence? Offline(string path)
        {
            var evidence = new HealthEvidence
            {
                Endpoint = System.IO.Path.GetFileNameWithoutExtension(path),
                Source = path,
                CheckedAt = DateTime.Now,
                PostureStatusGiven = GivenPosture,
            };

            PostureSyncException? unusable = null;
            void Note(PostureSyncException ex, Action<string> problem)
            {
                if (ex.ErrorId == DartBundleInvalidId)
                {
                    unusable ??= ex;
                }

                problem(ex.ErrorId + ": " + ex.Message);
            }

            WriteVerbose($"Profile check: the posture profile in '{path}'.");
            try
            {
                ChooseProfile(evidence, PostureProfileReader.ReadPath(path, ex => Note(ex, problem => evidence.ProfileProblem ??= problem)));
            }
            catch (PostureSyncException ex)
            {
                Note(ex, problem => evidence.ProfileProblem ??= problem);
            }

            if (unusable != null)
            {
                WriteFailure(unusable);
                return null;
            }

            WriteVerbose($"Log check: the agent log in '{path}', since probing last started.");
            var reader = new DartSyncEventReader(new DartSyncEventQuery())
            {
                Cancellation = Cancellation,
                Failure = ex => Note(ex, problem => evidence.LogProblem ??= problem),
                Warning = warning => WriteVerbose(warning.Message),
            };
            try
            {
                List<DartSyncEvent> events = reader.Read(path).ToList();
                evidence.Log = evidence.LogProblem is null || events.Count > 0 ? events : null;
            }
            catch (PostureSyncException ex)
            {
                Note(ex, problem => evidence.LogProblem = problem);
            }

            if (unusable != null)
            {
                WriteFailure(unusable);
                return null;
            }

            // Offline means no network: only literal addresses, -PsnAddress and the hosts file the user named stand for PSNs.
            IHostResolver offline = Environment.GetEnvironmentVariable(HostResolvers.HostsFileVariable) is null
                ? new HostsFileResolver(Array.Empty<KeyValuePair<string, IPAddress>>(),
                    "names are not resolved offline: give its address with -PsnAddress @{ '<name>' = '<address>' }", null)
                : resolver!;
            evidence.Dacl = CheckDacl(evidence, offline);
            return evidence;
        }

        private void ChooseProfile(HealthEvidence evidence, IEnumerable<PostureSyncConfig> profiles)
        {
            evidence.Profile = HealthEvaluator.ChooseProfile(profiles, out IReadOnlyList<PostureSyncConfig> setAside);
            evidence.ProfilesSetAside = setAside;
            if (evidence.Profile != null)
            {
                WriteVerbose($"Profile check: judging {evidence.Profile.Path} ({evidence.Profile.ClientFamily}){(setAside.Count > 0 ? $", {setAside.Count} more set aside" : string.Empty)}.");
            }
            else if (evidence.ProfileProblem != null)
            {
                WriteVerbose($"Profile check: {evidence.ProfileProblem}");
            }
        }

        private IReadOnlyList<PortTestResult> TestPorts(string[] targets, string posture)
        {
            var options = new PortScanOptions
            {
                Port = Port,
                TimeoutSec = TimeoutSec,
                PostureStatus = (PostureStatus)Enum.Parse(typeof(PostureStatus), posture, ignoreCase: true),
            };
            using var scanner = new PortScanner(options, resolver!);
            return scanner.TestAllAsync(targets.Select(scanner.ParseTarget), Cancellation).GetAwaiter().GetResult();
        }

        private IReadOnlyList<DaclTestResult>? CheckDacl(HealthEvidence evidence, IHostResolver names)
        {
            if (dacl is null)
            {
                return null;
            }

            string[] targets = psnAddresses.Count > 0 ? psnAddresses.ToArray() : evidence.Profile?.ProbeTargets ?? Array.Empty<string>();
            if (targets.Length == 0)
            {
                evidence.DaclProblem = "the profile names no probe targets to check it against (give PSN addresses with -PsnAddress)";
                WriteVerbose($"dACL check: skipped, {evidence.DaclProblem}.");
                return null;
            }

            WriteVerbose($"dACL check: the dACL against {string.Join(", ", targets)} on port {Port}.");
            var unresolved = new List<string>();
            IHostResolver lookup = psnNames.Count > 0 ? new HostsFileResolver(psnNames, string.Empty, names) : names;
            List<PsnTarget> psns = PsnTargets.Resolve(targets, lookup, TimeSpan.FromSeconds(TimeoutSec), Cancellation, failure => unresolved.Add(failure.Message));
            if (unresolved.Count > 0)
            {
                evidence.DaclProblem = string.Join(" ", unresolved);
            }

            return DaclEvaluator.Check(AclParser.Select(dacl, null).Lists, psns, Port, null).SelectMany(check => check.Results).ToList();
        }
    }
}
