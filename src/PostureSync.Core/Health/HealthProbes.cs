using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PostureSync.Core.Acl;
using PostureSync.Core.Net;
using PostureSync.Core.Probing;

namespace PostureSync.Core.Health
{
    /// <summary>The two checks of the walk that test the profile's probe targets: the port (live) and the dACL.</summary>
    internal static class HealthProbes
    {
        /// <summary>
        /// TCP connect to each probe target's host on the sync port (-Port), all at once, judged for
        /// <paramref name="posture"/>. A port written in the probe list is not used: the agent's probe port is the
        /// documented one, and the profile's PSC008 finding says how to test the written port.
        /// </summary>
        public static IReadOnlyList<PortTestResult>? TestPorts(HealthEvidence evidence, PostureStatus posture, HealthCheckOptions options, IHostResolver resolver, IOperationReporter reporter)
        {
            string[] targets = evidence.Profile?.ProbeTargets ?? Array.Empty<string>();
            if (targets.Length == 0)
            {
                reporter.Verbose("Port check: skipped, no probe targets to test.");
                return null;
            }

            var scanOptions = new PortScanOptions { Port = options.Port, TimeoutSec = options.TimeoutSec, PostureStatus = posture };
            using var scanner = new PortScanner(scanOptions, resolver);
            List<ProbeTarget> onSyncPort = targets.Select(target => new ProbeTarget(scanner.ParseTarget(target).Host, options.Port)).ToList();
            reporter.Verbose($"Port check: TCP {options.Port} on {string.Join(", ", onSyncPort.Select(target => target.Host))}, judged for posture {posture} (connect only, timeout {options.TimeoutSec.ToString(CultureInfo.InvariantCulture)} s).");
            return scanner.TestAllAsync(onSyncPort, reporter.Cancellation).GetAwaiter().GetResult();
        }

        /// <summary>
        /// The dACL's verdict for each probe target; null when there is no dACL or no target to check it against (the
        /// evidence then says why). Names that do not resolve are noted as the dACL problem, not reported as errors:
        /// the report is the place for what this endpoint's check could not see.
        /// </summary>
        public static IReadOnlyList<DaclTestResult>? CheckDacl(HealthEvidence evidence, HealthCheckOptions options, IHostResolver names, IOperationReporter reporter)
        {
            if (options.Dacl is null)
            {
                return null;
            }

            string[] targets = options.PsnAddresses.Count > 0 ? options.PsnAddresses.ToArray() : evidence.Profile?.ProbeTargets ?? Array.Empty<string>();
            if (targets.Length == 0)
            {
                evidence.DaclProblem = "the profile names no probe targets to check it against (give the PSNs with -PsnAddress)";
                reporter.Verbose($"dACL check: skipped, {evidence.DaclProblem}.");
                return null;
            }

            reporter.Verbose($"dACL check: the dACL against {string.Join(", ", targets)} on port {options.Port}.");
            var unresolved = new List<string>();
            IHostResolver lookup = options.PsnNames.Count > 0 ? new HostsFileResolver(options.PsnNames, string.Empty, names) : names;
            List<PsnTarget> psns = PsnTargets.Resolve(targets, lookup, TimeSpan.FromSeconds(options.TimeoutSec), reporter.Cancellation, failure => unresolved.Add(failure.Message));
            if (unresolved.Count > 0)
            {
                evidence.DaclProblem = string.Join(" ", unresolved);
            }

            return DaclEvaluator.Check(AclParser.Select(options.Dacl, null).Lists, psns, options.Port, null).SelectMany(check => check.Results).ToList();
        }
    }
}
