using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using PostureSync.Core.Net;

namespace PostureSync.Core.Config
{
    /// <summary>
    /// Judges a loaded profile's state-sync settings (DOMAIN.md §3, §7): the interval, the probe targets, the network
    /// transition delay (CSCwd58316), and each finding with what to do.
    /// </summary>
    internal static class ProfileJudge
    {
        private static readonly char[] ListSeparators = { ',', ';', ' ', '\t', '\r', '\n' };

        /// <summary>The probe list's separators [inferred: DOMAIN.md §3]: a space is not one, so "psn1 psn2" stays one (bad) entry.</summary>
        private static readonly char[] ProbeListSeparators = { ',', ';', '\r', '\n' };

        internal static PostureSyncConfig Judge(XElement root, string displayPath, string? bundlePath, string clientFamily, DateTime? lastWriteTime)
        {
            var findings = new List<string>();
            var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (XElement element in root.Elements())
            {
                string name = element.Name.LocalName;
                if (!settings.ContainsKey(name))
                {
                    settings[name] = element.Value.Trim();
                }
            }

            if (root.Name.NamespaceName != PostureProfileReader.CiscoNamespace)
            {
                findings.Add($"PSC006 Information: the <cfg> root is not in Cisco's namespace '{PostureProfileReader.CiscoNamespace}'; it was read anyway. If this file was edited by hand, compare it with the copy ISE pushes.");
            }

            var config = new PostureSyncConfig
            {
                Path = displayPath,
                BundlePath = bundlePath,
                ClientFamily = clientFamily,
                ProfileName = Text(settings, "configName"),
                DiscoveryHost = Text(settings, "DiscoveryHost"),
                NetworkTransitionDelay = Number(settings, "NetworkTransitionDelay"),
                DartCount = Number(settings, "DartCount"),
                LogFileSize = Number(settings, "LogFileSize"),
                LastWriteTime = lastWriteTime,
                Settings = settings,
            };

            JudgeInterval(config, Text(settings, "StateSyncProbeInterval"), findings);

            config.StateSyncProbeList = SplitProbeList(Text(settings, "StateSyncProbeList"));
            config.CallHomeList = SplitList(Text(settings, "CallHomeList"));
            config.DiscoveryPsnList = SplitList(Text(settings, "discoveryPsnList"));

            List<string> probeHosts = ProbeListTargets(config.StateSyncProbeList, findings);
            List<string> callHomeHosts = ValidHosts("CallHomeList", config.CallHomeList, findings);
            ValidHosts("discoveryPsnList", config.DiscoveryPsnList, findings);
            List<string> discoveryHosts = ValidHosts("DiscoveryHost", SplitList(config.DiscoveryHost), findings);

            if (probeHosts.Count > 0)
            {
                config.ProbeTargets = Distinct(probeHosts);
            }
            else
            {
                findings.Add("PSC004 Information: the Posture Probing Backup List (StateSyncProbeList) is empty, so the agent probes the PSN it is connected to and two backup servers [doc]; ProbeTargets lists the discovery host and the call-home hosts. Add your PSNs to the list if you want the probes to be predictable.");
                config.ProbeTargets = Distinct(discoveryHosts.Concat(callHomeHosts));
            }

            if (!PostureSyncRule.TransitionDelayIsEnough(config.NetworkTransitionDelay))
            {
                string? written = Text(settings, "NetworkTransitionDelay");
                string seen = config.NetworkTransitionDelay is not null ? $"is {config.NetworkTransitionDelay} s"
                    : written is null ? "is not set"
                    : $"'{Shortened(written)}' is not a number";
                findings.Add($"PSC003 Warning: NetworkTransitionDelay {seen}; below {PostureSyncRule.MinNetworkTransitionDelaySec} s a probe can run before the compliant dACL is applied and raise a false 'Posture Configuration Detection' alarm (CSCwd58316). Set 'Network transition delay' to {PostureSyncRule.MinNetworkTransitionDelaySec} in the ISE posture profile.");
            }

            config.Findings = FindingSeverities.WorstFirst(findings);
            return config;
        }

        private static void JudgeInterval(PostureSyncConfig config, string? text, List<string> findings)
        {
            if (string.IsNullOrEmpty(text))
            {
                config.StateSyncStatus = StateSyncStatuses.Disabled;
                findings.Add($"PSC001 Error: StateSyncProbeInterval is missing, so posture state synchronization is disabled. Set 'Posture State Synchronization Interval' ({PostureSyncRule.ProbeIntervalRange}) in the ISE posture profile (Agent Behavior).");
                return;
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int interval))
            {
                config.StateSyncStatus = StateSyncStatuses.Invalid;
                findings.Add($"PSC002 Error: StateSyncProbeInterval '{text}' is not a number, so state synchronization cannot run. Set 'Posture State Synchronization Interval' to {PostureSyncRule.ProbeIntervalRange} in the ISE posture profile.");
                return;
            }

            config.StateSyncProbeInterval = interval;
            if (interval == 0)
            {
                config.StateSyncStatus = StateSyncStatuses.Disabled;
                findings.Add($"PSC001 Error: StateSyncProbeInterval is 0, so posture state synchronization is disabled. Set 'Posture State Synchronization Interval' ({PostureSyncRule.ProbeIntervalRange}) in the ISE posture profile (Agent Behavior).");
            }
            else if (interval < PostureSyncRule.MinProbeIntervalSec || interval > PostureSyncRule.MaxProbeIntervalSec)
            {
                config.StateSyncStatus = StateSyncStatuses.Invalid;
                findings.Add($"PSC002 Error: StateSyncProbeInterval {interval} is outside {PostureSyncRule.ProbeIntervalRange}, so state synchronization does not run as configured. Set it to {PostureSyncRule.ProbeIntervalRange} in the ISE posture profile.");
            }
            else
            {
                config.StateSyncStatus = StateSyncStatuses.Enabled;
                config.StateSyncEnabled = true;
            }
        }

        private static List<string> ValidHosts(string listName, string[] entries, List<string> findings)
        {
            var hosts = new List<string>();
            foreach (string entry in entries)
            {
                if (HostPort.TryParse(entry, out HostPort? parsed, out string? problem))
                {
                    hosts.Add(parsed!.Host);
                }
                else
                {
                    findings.Add($"PSC005 Warning: {listName} entry '{entry}' is not a host name or address ({problem}); the agent cannot use it. Correct the entry in the ISE posture profile.");
                }
            }

            return hosts;
        }

        /// <summary>
        /// The probe list's targets, each as written with its port when it has one (so the port is not dropped silently);
        /// an entry with a space in it is an error, not two targets; a written port gets a finding saying whether the
        /// checks use it, since the agent's probe port is documented and what it does with a written one is not.
        /// </summary>
        private static List<string> ProbeListTargets(string[] entries, List<string> findings)
        {
            var targets = new List<string>();
            foreach (string entry in entries)
            {
                if (entry.IndexOfAny(new[] { ' ', '\t' }) >= 0)
                {
                    findings.Add($"PSC007 Error: StateSyncProbeList entry '{Shortened(entry)}' holds a space, so it is not a host name; it is not read as two targets and not tested. Separate the PSNs with commas in the Posture Probing Backup List of the ISE posture profile.");
                    continue;
                }

                if (!HostPort.TryParse(entry, out HostPort? parsed, out string? problem))
                {
                    findings.Add($"PSC005 Warning: StateSyncProbeList entry '{Shortened(entry)}' is not a host name or address ({problem}); the agent cannot use it. Correct the entry in the ISE posture profile.");
                    continue;
                }

                if (parsed!.Port is int port)
                {
                    findings.Add(port == PostureSyncRule.SyncPort
                        ? $"PSC009 Information: StateSyncProbeList entry '{parsed}' writes port {port}, the agent's probe port [doc]; whether the agent reads a port written in this list is not documented [inferred]."
                        : $"PSC008 Warning: StateSyncProbeList entry '{parsed}' writes port {port}, not the agent's probe port {PostureSyncRule.SyncPort} [doc]. Whether the agent probes a port written in this list is not documented [inferred]. ProbeTargets keeps the entry as written, so Test-PostureSyncPort tests port {port} on it, while Test-PostureSyncHealth and Test-ComplianceDacl check -Port ({PostureSyncRule.SyncPort} unless given): pass -Port {port} to check the written one there.");
                }

                targets.Add(parsed.ToString());
            }

            return targets;
        }

        /// <summary>Splits the probe list on commas, semicolons and line breaks, each entry trimmed.</summary>
        private static string[] SplitProbeList(string? text) =>
            string.IsNullOrEmpty(text) ? Array.Empty<string>() : text!.Split(ProbeListSeparators).Select(e => e.Trim()).Where(e => e.Length > 0).ToArray();

        /// <summary>Splits a profile list on commas, semicolons and white space, keeping each entry as written.</summary>
        private static string[] SplitList(string? text) =>
            string.IsNullOrEmpty(text) ? Array.Empty<string>() : text!.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries);

        private static string[] Distinct(IEnumerable<string> hosts) => hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

        private static string? Text(Dictionary<string, string> settings, string name) =>
            settings.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;

        /// <summary>Profile text quoted in a finding, cut short: the file may come from anywhere.</summary>
        private static string Shortened(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

        private static int? Number(Dictionary<string, string> settings, string name) =>
            int.TryParse(Text(settings, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : (int?)null;
    }
}
