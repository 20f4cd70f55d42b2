using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using PostureSync.Core.Dart;
using PostureSync.Core.Net;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Config
{
    /// <summary>
    /// Reads ISEPostureCFG.xml from a file, a folder or a DART bundle and judges its state-sync settings
    /// (DOMAIN.md §3, §7). The XML is parsed with DTDs prohibited and no resolver: nothing outside the file is read.
    /// </summary>
    internal static class PostureProfileReader
    {
        public const string FileName = "ISEPostureCFG.xml";
        public const string CiscoNamespace = "http://www.cisco.com/nac/agent/config-1.0";

        /// <summary>A profile is a few KB; anything past this is not one.</summary>
        public const int MaxProfileBytes = 1024 * 1024;

        /// <summary>How deep below a folder profiles are looked for; DART bundles nest a few levels.</summary>
        private const int MaxSearchDepth = 8;

        /// <summary>
        /// A posture profile is three or four elements deep; anything far deeper is refused before a tree is built,
        /// because building and walking a tree of deeply nested elements costs time with the square of the depth.
        /// </summary>
        public const int MaxXmlDepth = 32;

        private static readonly char[] ListSeparators = { ',', ';', ' ', '\t', '\r', '\n' };

        /// <summary>
        /// Every profile a path names: the file itself, the profile in a folder (or its "ISE Posture" subfolder),
        /// or every profile entry in a zip. Failures for one bundle entry are reported through <paramref name="onError"/>
        /// so the others are still read.
        /// </summary>
        public static IEnumerable<PostureSyncConfig> ReadPath(string path, Action<PostureSyncException> onError)
        {
            IReadOnlyList<string> bundles = DartBundleFolder.BundlesIn(path);
            if (bundles.Count > 0)
            {
                foreach (string bundle in bundles)
                {
                    foreach (PostureSyncConfig config in ReadBundle(bundle, onError))
                    {
                        yield return config;
                    }
                }

                yield break;
            }

            if (Directory.Exists(path))
            {
                IReadOnlyList<string> files = FindInFolder(path);
                if (files.Count == 0)
                {
                    onError(NotFound(path, new[] { System.IO.Path.Combine(path, FileName), System.IO.Path.Combine(path, "ISE Posture", FileName), "every folder below it" }));
                    yield break;
                }

                foreach (string file in files)
                {
                    PostureSyncConfig? config = ReadOrReport(() => ReadFile(file), onError);

                    if (config != null)
                    {
                        yield return config;
                    }
                }

                yield break;
            }

            if (!File.Exists(path))
            {
                onError(PathFailures.DoesNotExist(ErrorIds.PathNotFound, path, "Check the path; pass an ISEPostureCFG.xml file, the folder that holds it, or a DART bundle (.zip)."));
                yield break;
            }

            if (!IsZip(path))
            {
                yield return ReadFile(path);
                yield break;
            }

            foreach (PostureSyncConfig config in ReadBundle(path, onError))
            {
                yield return config;
            }
        }

        /// <summary>The profiles installed on this machine, newest client first; none is an error naming every place searched.</summary>
        public static IEnumerable<PostureSyncConfig> ReadInstalled(AgentLocations locations, Action<PostureSyncException> onError)
        {
            var searched = new List<string>();
            bool found = false;
            foreach (AgentPlace place in locations.ProfileDirectories)
            {
                string file = System.IO.Path.Combine(place.Path, FileName);
                searched.Add(file);
                if (!File.Exists(file))
                {
                    continue;
                }

                found = true;
                PostureSyncConfig? config = ReadOrReport(() => ReadFile(file), onError);

                if (config != null)
                {
                    yield return config;
                }
            }

            if (!found)
            {
                onError(NotFound(null, searched));
            }
        }

        private static bool IsZip(string path)
        {
            try
            {
                return DartBundle.IsZip(path);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.ConfigReadFailed, path, ex);
            }
        }

        /// <summary>One profile file; every failure, I/O included, is a <see cref="PostureSyncException"/>.</summary>
        public static PostureSyncConfig ReadFile(string path)
        {
            byte[] bytes;
            DateTime lastWrite;
            try
            {
                var info = new FileInfo(path);
                if (info.Length > MaxProfileBytes)
                {
                    throw TooLarge(path, info.Length);
                }

                lastWrite = info.LastWriteTime;
                using FileStream stream = DartBundle.OpenShared(path);
                bytes = ReadAll(stream, path);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.ConfigReadFailed, path, ex);
            }

            return Parse(bytes, path, null, ClientFamily.FromPath(path), lastWrite);
        }

        /// <summary>Parses profile bytes; <paramref name="displayPath"/> names the source in results and errors.</summary>
        public static PostureSyncConfig Parse(byte[] bytes, string displayPath, string? bundlePath, string clientFamily, DateTime? lastWriteTime)
        {
            if (bytes.Length == 0 || IsWhitespaceOnly(bytes))
            {
                throw new PostureSyncException(ErrorIds.ConfigEmpty, FailureKind.InvalidData, $"'{displayPath}' is empty: it holds no posture profile.", displayPath)
                {
                    RecommendedAction = "Copy the profile again from the endpoint (ISE pushes it when the agent connects), or collect a DART bundle.",
                };
            }

            XDocument document = Load(bytes, displayPath);
            XElement root = document.Root!;
            if (root.Name.LocalName != "cfg")
            {
                throw new PostureSyncException(
                    ErrorIds.ConfigNotPosture,
                    FailureKind.InvalidData,
                    $"'{displayPath}' is XML, but its root element is <{root.Name.LocalName}>, not the posture profile's <cfg>.",
                    displayPath)
                {
                    RecommendedAction = "Pass ISEPostureCFG.xml (ISEPreferences.xml, ConnectionData.xml and DGCacheRecords.xml are other files).",
                };
            }

            return Judge(root, displayPath, bundlePath, clientFamily, lastWriteTime);
        }

        private static PostureSyncConfig ReadEntry(DartBundle bundle, ZipArchiveEntry entry, string bundlePath)
        {
            string display = bundle.DisplayPath(entry);
            if (entry.Length > MaxProfileBytes)
            {
                throw TooLarge(display, entry.Length);
            }

            byte[] bytes;
            try
            {
                using Stream stream = bundle.OpenEntry(entry);
                bytes = ReadAll(stream, display);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.ConfigReadFailed, display, ex);
            }

            return Parse(bytes, display, bundlePath, ClientFamily.FromPath(entry.FullName), entry.LastWriteTime.DateTime);
        }

        /// <summary>Reads one profile; a failure goes to <paramref name="onError"/> so the caller moves on to the next.</summary>
        private static PostureSyncConfig? ReadOrReport(Func<PostureSyncConfig> read, Action<PostureSyncException> onError)
        {
            try
            {
                return read();
            }
            catch (PostureSyncException ex)
            {
                onError(ex);
                return null;
            }
        }

        private static IEnumerable<PostureSyncConfig> ReadBundle(string path, Action<PostureSyncException> onError)
        {
            using DartBundle bundle = DartBundle.Open(path);
            bool any = false;
            foreach (ZipArchiveEntry entry in bundle.FindEntries(name => string.Equals(name, FileName, StringComparison.OrdinalIgnoreCase)))
            {
                any = true;
                PostureSyncConfig? config = ReadOrReport(() => ReadEntry(bundle, entry, path), onError);
                if (config != null)
                {
                    yield return config;
                }
            }

            if (!any)
            {
                onError(new PostureSyncException(ErrorIds.ConfigNotFound, FailureKind.ObjectNotFound, $"The DART bundle '{path}' holds no {FileName}.", path)
                {
                    RecommendedAction = "Collect the bundle with DART on an endpoint where the ISE posture module has run (the profile arrives from ISE).",
                });
            }
        }

        /// <summary>
        /// The profile in a folder or its "ISE Posture" subfolder; failing that, every profile below it, as in an
        /// extracted DART bundle whose inner layout is not public.
        /// </summary>
        private static IReadOnlyList<string> FindInFolder(string folder)
        {
            foreach (string candidate in new[] { System.IO.Path.Combine(folder, FileName), System.IO.Path.Combine(folder, "ISE Posture", FileName) })
            {
                if (File.Exists(candidate))
                {
                    return new[] { candidate };
                }
            }

            var found = new List<string>();
            FindBelow(folder, MaxSearchDepth, found);
            found.Sort(StringComparer.Ordinal);
            return found;
        }

        private static void FindBelow(string folder, int depth, List<string> found)
        {
            string[] files;
            string[] folders;
            try
            {
                files = Directory.GetFiles(folder);
                folders = depth > 0 ? Directory.GetDirectories(folder) : Array.Empty<string>();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
            {
                return;
            }

            // File names are case-sensitive on Linux: compare them without case, as Windows and the zip reader do.
            found.AddRange(files.Where(f => string.Equals(System.IO.Path.GetFileName(f), FileName, StringComparison.OrdinalIgnoreCase)));
            foreach (string sub in folders)
            {
                FindBelow(sub, depth - 1, found);
            }
        }

        private static byte[] ReadAll(Stream stream, string displayPath)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxProfileBytes)
                {
                    throw TooLarge(displayPath, buffer.Length);
                }
            }

            return buffer.ToArray();
        }

        private static XDocument Load(byte[] bytes, string displayPath)
        {
            // No DTD, no resolver, no entity expansion: a profile never needs them and hostile files must not get them.
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersFromEntities = 1024,
                MaxCharactersInDocument = MaxProfileBytes * 2L,
                IgnoreProcessingInstructions = true,
                CloseInput = true,
            };

            try
            {
                RefuseDeepNesting(XmlReader.Create(new MemoryStream(bytes, writable: false), settings), displayPath);
                using XmlReader reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
                return XDocument.Load(reader, LoadOptions.SetLineInfo);
            }
            catch (XmlException ex)
            {
                bool dtd = ContainsDoctype(bytes);
                string where = ex.LineNumber > 0 ? $" (line {ex.LineNumber}, column {ex.LinePosition})" : string.Empty;
                throw new PostureSyncException(
                    dtd ? ErrorIds.ConfigDtdProhibited : ErrorIds.ConfigXmlInvalid,
                    FailureKind.InvalidData,
                    dtd
                        ? $"'{displayPath}' declares a DTD{where}; DTDs are refused so that no entity is ever expanded or fetched. A posture profile never has one."
                        : $"'{displayPath}' is not well-formed XML{where}: {ex.Message}",
                    displayPath,
                    ex)
                {
                    RecommendedAction = dtd
                        ? "Use the profile exactly as ISE pushed it to the endpoint."
                        : "The file may be truncated or damaged: copy it again from the endpoint or collect a new DART bundle.",
                };
            }
        }

        /// <summary>One streaming pass (linear in the size) that stops at the first element nested beyond <see cref="MaxXmlDepth"/>.</summary>
        private static void RefuseDeepNesting(XmlReader reader, string displayPath)
        {
            using (reader)
            {
                while (reader.Read())
                {
                    if (reader.Depth > MaxXmlDepth)
                    {
                        var info = (IXmlLineInfo)reader;
                        throw new PostureSyncException(
                            ErrorIds.ConfigXmlTooDeep,
                            FailureKind.LimitsExceeded,
                            string.Format(
                                CultureInfo.InvariantCulture,
                                "'{0}' nests elements more than {1} levels deep (line {2}, column {3}); a posture profile is a few levels deep, so it was not read.",
                                displayPath,
                                MaxXmlDepth,
                                info.LineNumber,
                                info.LinePosition),
                            displayPath)
                        {
                            RecommendedAction = "Use the profile exactly as ISE pushed it to the endpoint (copy it again, or collect a new DART bundle).",
                        };
                    }
                }
            }
        }

        private static PostureSyncConfig Judge(XElement root, string displayPath, string? bundlePath, string clientFamily, DateTime? lastWriteTime)
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

            if (root.Name.NamespaceName != CiscoNamespace)
            {
                findings.Add($"PSC006 Information: the <cfg> root is not in Cisco's namespace '{CiscoNamespace}'; it was read anyway. If this file was edited by hand, compare it with the copy ISE pushes.");
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

            config.StateSyncProbeList = SplitList(Text(settings, "StateSyncProbeList"));
            config.CallHomeList = SplitList(Text(settings, "CallHomeList"));
            config.DiscoveryPsnList = SplitList(Text(settings, "discoveryPsnList"));

            List<string> probeHosts = ValidHosts("StateSyncProbeList", config.StateSyncProbeList, findings);
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

            if (config.NetworkTransitionDelay is null || config.NetworkTransitionDelay < PostureSyncRule.MinNetworkTransitionDelaySec)
            {
                string? written = Text(settings, "NetworkTransitionDelay");
                string seen = config.NetworkTransitionDelay is not null ? $"is {config.NetworkTransitionDelay} s"
                    : written is null ? "is not set"
                    : $"'{Shortened(written)}' is not a number";
                findings.Add($"PSC003 Warning: NetworkTransitionDelay {seen}; below {PostureSyncRule.MinNetworkTransitionDelaySec} s a probe can run before the compliant dACL is applied and raise a false 'Posture Configuration Detection' alarm (CSCwd58316). Set 'Network transition delay' to {PostureSyncRule.MinNetworkTransitionDelaySec} in the ISE posture profile.");
            }

            config.Findings = FindingSeverity.WorstFirst(findings);
            return config;
        }

        private static void JudgeInterval(PostureSyncConfig config, string? text, List<string> findings)
        {
            if (string.IsNullOrEmpty(text))
            {
                config.StateSyncStatus = StateSyncStatuses.Disabled;
                findings.Add("PSC001 Error: StateSyncProbeInterval is missing, so posture state synchronization is disabled. Set 'Posture State Synchronization Interval' (1-300 s) in the ISE posture profile (Agent Behavior).");
                return;
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int interval))
            {
                config.StateSyncStatus = StateSyncStatuses.Invalid;
                findings.Add($"PSC002 Error: StateSyncProbeInterval '{text}' is not a number, so state synchronization cannot run. Set 'Posture State Synchronization Interval' to 1-300 s in the ISE posture profile.");
                return;
            }

            config.StateSyncProbeInterval = interval;
            if (interval == 0)
            {
                config.StateSyncStatus = StateSyncStatuses.Disabled;
                findings.Add("PSC001 Error: StateSyncProbeInterval is 0, so posture state synchronization is disabled. Set 'Posture State Synchronization Interval' (1-300 s) in the ISE posture profile (Agent Behavior).");
            }
            else if (interval < 0 || interval > 300)
            {
                config.StateSyncStatus = StateSyncStatuses.Invalid;
                findings.Add($"PSC002 Error: StateSyncProbeInterval {interval} is outside 1-300 s, so state synchronization does not run as configured. Set it to 1-300 s in the ISE posture profile.");
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

        /// <summary>Splits a profile list on commas, semicolons and white space, keeping each entry as written.</summary>
        public static string[] SplitList(string? text) =>
            string.IsNullOrEmpty(text) ? Array.Empty<string>() : text!.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries);

        private static string[] Distinct(IEnumerable<string> hosts) => hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

        private static string? Text(Dictionary<string, string> settings, string name) =>
            settings.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;

        /// <summary>Profile text quoted in a finding, cut short: the file may come from anywhere.</summary>
        private static string Shortened(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

        private static int? Number(Dictionary<string, string> settings, string name) =>
            int.TryParse(Text(settings, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : (int?)null;

        private static bool IsWhitespaceOnly(byte[] bytes)
        {
            string text = Encoding.UTF8.GetString(bytes);
            foreach (char c in text)
            {
                if (!char.IsWhiteSpace(c) && c != '\uFEFF' && c != '\0')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool ContainsDoctype(byte[] bytes)
        {
            string asUtf8 = Encoding.UTF8.GetString(bytes);
            string asUtf16 = bytes.Length > 1 && (bytes[0] == 0 || bytes[1] == 0) ? Encoding.Unicode.GetString(bytes) + Encoding.BigEndianUnicode.GetString(bytes) : string.Empty;
            return asUtf8.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) >= 0
                || asUtf16.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static PostureSyncException NotFound(string? folder, IEnumerable<string> searched) => new PostureSyncException(
            ErrorIds.ConfigNotFound,
            FailureKind.ObjectNotFound,
            (folder is null ? "No posture profile is installed on this computer." : $"'{folder}' holds no {FileName}.")
                + " Searched: " + string.Join("; ", searched) + ".",
            folder)
        {
            RecommendedAction = "Pass the profile, its folder or a DART bundle with -Path; the profile arrives from ISE when the posture module first connects.",
        };

        private static PostureSyncException TooLarge(string path, long length) => new PostureSyncException(
            ErrorIds.ConfigTooLarge,
            FailureKind.LimitsExceeded,
            FormattableString.Invariant($"'{path}' is {length:N0} bytes; a posture profile is a few KB, so files over {MaxProfileBytes:N0} bytes are refused."),
            path)
        {
            RecommendedAction = "Check that the path names ISEPostureCFG.xml and not a log or an archive.",
        };
    }
}
