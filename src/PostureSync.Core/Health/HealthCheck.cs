using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using PostureSync.Core.AgentLog;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;
using PostureSync.Core.Net;
using PostureSync.Core.Platform;
using PostureSync.Core.Probing;

namespace PostureSync.Core.Health
{
    /// <summary>One bundle's outcome: a report, or the reason the bundle could not be opened at all.</summary>
    internal sealed class BundleHealth
    {
        private BundleHealth(string path, HealthReport? report, PostureSyncException? unusable)
        {
            Path = path;
            Report = report;
            Unusable = unusable;
        }

        public string Path { get; }

        /// <summary>Null when the bundle is unusable.</summary>
        public HealthReport? Report { get; }

        /// <summary>
        /// Why the bundle could not be opened (DartBundleInvalid, DartBundleUnreadable); null when it was checked. A
        /// report of such a bundle would only say "nothing found", so it is an error instead.
        /// </summary>
        public PostureSyncException? Unusable { get; }

        internal static BundleHealth Checked(string path, HealthReport report) => new BundleHealth(path, report, null);

        internal static BundleHealth Refused(string path, PostureSyncException reason) => new BundleHealth(path, null, reason);
    }

    /// <summary>
    /// The tech note's troubleshooting walk (DOMAIN.md §7) for this endpoint, live, or for DART bundles, offline:
    /// gathers the evidence (profile, posture status, ports, agent log, dACL) and folds it into one
    /// <see cref="HealthReport"/> with <see cref="HealthEvaluator"/>. What cannot be read becomes part of the report;
    /// notes and progress go to the reporter.
    /// </summary>
    internal sealed class HealthCheck
    {
        private const string BundleActivity = "Checking DART bundles";

        private readonly HealthCheckOptions options;
        private readonly IHostResolver resolver;
        private readonly IHostResolver offlineResolver;
        private readonly IOperationReporter reporter;
        private int bundlesChecked;

        /// <param name="resolver">Resolves the probe targets live (DNS, or a hosts file in tests).</param>
        /// <param name="offlineResolver">Resolves them offline, where no name may go to the network: only literal
        /// addresses, or the hosts file the user named (<see cref="HostResolvers.Offline"/>).</param>
        public HealthCheck(HealthCheckOptions options, IHostResolver resolver, IHostResolver offlineResolver, IOperationReporter reporter)
        {
            this.options = options;
            this.resolver = resolver;
            this.offlineResolver = offlineResolver;
            this.reporter = reporter;
        }

        /// <summary>This endpoint, now: the installed profile, the live agent log when there is a reader for it, the ports.</summary>
        public HealthReport CheckLive(AgentLocations locations, ILiveAgentLog? liveLog, DateTime now)
        {
            var evidence = new HealthEvidence { Endpoint = Environment.MachineName, Source = HealthSources.Live, CheckedAt = now, PostureStatusGiven = options.PostureStatus };

            reporter.Verbose("Profile check: the posture profile installed on this endpoint.");
            ProfileChoice.Into(evidence, Gather(() => PostureProfileReader.ReadInstalled(locations, ex => evidence.ProfileProblem ??= Problem(ex)), ErrorIds.ConfigReadFailed, locations.Root, ex => evidence.ProfileProblem ??= Problem(ex)), reporter);

            ReadLiveLog(evidence, liveLog, locations, now);

            PostureStatus posture = HealthEvaluator.DecidePosture(evidence);
            evidence.Ports = HealthProbes.TestPorts(evidence, posture, options, resolver, reporter);
            evidence.Dacl = HealthProbes.CheckDacl(evidence, options, resolver, reporter);
            return Evaluate(evidence);
        }

        /// <summary>One DART bundle (a zip, an extracted folder or a single file), offline: no packet is sent.</summary>
        public BundleHealth CheckBundle(string path, DateTime now)
        {
            bundlesChecked++;
            reporter.Progress(new OperationProgress(BundleActivity, $"Bundle {bundlesChecked}: {path}"));

            PostureSyncException? unusable = OpenFailure(path);
            if (unusable != null)
            {
                return BundleHealth.Refused(path, unusable);
            }

            (string Name, string File)? host = BundleHostName.Find(path);
            if (host != null)
            {
                reporter.Verbose($"Endpoint name '{host.Value.Name}' from {host.Value.File} in '{path}' [inferred: the layout of DART's system files is not public].");
            }

            var evidence = new HealthEvidence
            {
                Endpoint = host?.Name ?? Path.GetFileNameWithoutExtension(path),
                Source = path,
                CheckedAt = now,
                PostureStatusGiven = options.PostureStatus,
            };

            reporter.Verbose($"Profile check: the posture profile in '{path}'.");
            ProfileChoice.Into(evidence, Gather(() => PostureProfileReader.ReadPath(path, ex => evidence.ProfileProblem ??= Problem(ex)), ErrorIds.ConfigReadFailed, path, ex => evidence.ProfileProblem ??= Problem(ex)), reporter);

            reporter.Verbose($"Log check: the agent log in '{path}', since probing last started.");
            var reader = new DartSyncEventReader(new DartSyncEventQuery())
            {
                Cancellation = reporter.Cancellation,
                Failure = ex => evidence.LogProblem ??= Problem(ex),
                Warning = warning => reporter.Verbose(warning.Message),
            };
            // Streamed: only the events the verdict reads are kept, so a log of millions of events costs a handful.
            long read = 0;
            IReadOnlyList<DartSyncEvent> events = Gather(() => LogDigest.Keep(reader.Read(path), out read), ErrorIds.LogUnreadable, path, ex => evidence.LogProblem = Problem(ex));
            evidence.Log = evidence.LogProblem is null || read > 0 ? events : null;

            evidence.Dacl = HealthProbes.CheckDacl(evidence, options, offlineResolver, reporter);
            return BundleHealth.Checked(path, Evaluate(evidence));
        }

        /// <summary>Ends the progress shown while checking bundles.</summary>
        public void Finish()
        {
            if (bundlesChecked > 0)
            {
                reporter.Progress(new OperationProgress(BundleActivity, "Done") { Completed = true });
            }
        }

        /// <summary>
        /// A folder of DART zips stands for each zip in it (<see cref="DartBundleFolder"/>, as for the other readers);
        /// any other path is one bundle.
        /// </summary>
        public IReadOnlyList<string> BundlesIn(string path)
        {
            IReadOnlyList<string> zips = DartBundleFolder.BundlesIn(path);
            if (zips.Count == 0)
            {
                return new[] { path };
            }

            reporter.Verbose($"'{path}' holds {zips.Count} DART bundle(s) and no extracted one: checking each bundle.");
            return zips;
        }

        private HealthReport Evaluate(HealthEvidence evidence)
        {
            HealthReport report = HealthEvaluator.Evaluate(evidence);
            reporter.Verbose($"{report.Endpoint}: {report.Status} ({report.ChecksPassed} checks passed, {report.ChecksFailed} failed).");
            return report;
        }

        /// <summary>
        /// The live log since the agent last started (a switch-off that a restart cured does not count), or for
        /// <see cref="HealthCheckOptions.LiveLogLookBack"/> when the start is not known (no agent process seen).
        /// </summary>
        private void ReadLiveLog(HealthEvidence evidence, ILiveAgentLog? liveLog, AgentLocations locations, DateTime now)
        {
            if (liveLog is null)
            {
                reporter.Verbose("Log check: skipped live, no reader for this endpoint's agent log.");
                evidence.LogProblem = "no reader for the live agent log was given";
                return;
            }

            DateTime? started = AgentStartTime.Find(locations);
            DateTime since = started ?? now - options.LiveLogLookBack;
            reporter.Verbose(started.HasValue
                ? $"Log check: {liveLog.Description}, since the agent last started ({since:s}), then since probing last started."
                : $"Log check: {liveLog.Description}; no agent process seen, so since {since:s} ({options.LiveLogLookBack.TotalHours:0} h), then since probing last started.");
            // Streamed like a bundle's log: only the events the verdict reads are kept, however much the agent logged.
            IReadOnlyList<DartSyncEvent> events = Gather(() => LogDigest.Keep(liveLog.ReadSince(since, reporter.Cancellation), out _), ErrorIds.LogUnreadable, liveLog.Description, ex => evidence.LogProblem = Problem(ex));
            evidence.Log = evidence.LogProblem is null ? events : null;
        }

        /// <summary>
        /// Why a path cannot be opened as a bundle at all: a zip whose directory cannot be read, or a file that cannot
        /// be opened. Null for anything the readers can look into (folders, other files, missing paths, whose problems
        /// they describe themselves). The directory is read here, once, so the outcome is decided by where it failed
        /// and not by which ErrorId a reader happened to use.
        /// </summary>
        private static PostureSyncException? OpenFailure(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            try
            {
                if (!DartBundle.IsZip(path))
                {
                    return null;
                }

                using DartBundle bundle = DartBundle.Open(path);
                _ = bundle.FindEntries(_ => false).Any();
                return null;
            }
            catch (PostureSyncException ex)
            {
                return ex;
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                return IoFailures.Read(ErrorIds.DartBundleUnreadable, path, ex);
            }
        }

        /// <summary>
        /// Runs a reader to the end; a failure that ends it early (it reports most per item) goes to
        /// <paramref name="problem"/> with whatever was read before, an I/O failure as <paramref name="ioErrorId"/>.
        /// </summary>
        private static IReadOnlyList<T> Gather<T>(Func<IEnumerable<T>> read, string ioErrorId, string source, Action<PostureSyncException> problem)
        {
            var items = new List<T>();
            try
            {
                items.AddRange(read());
            }
            catch (PostureSyncException ex)
            {
                problem(ex);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                problem(IoFailures.Read(ioErrorId, source, ex));
            }

            return items;
        }

        private static string Problem(PostureSyncException ex) => ex.ErrorId + ": " + ex.Message;
    }
}
