using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Text;
using PostureSync.Core.Acl;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;

namespace PostureSync.Fuzz
{
    /// <summary>
    /// The core's entry points for untrusted input, as "bytes in, result or PostureSyncException out". Shared by the
    /// xunit property tests and the -Task Fuzz loop, so both drive exactly the same code.
    /// </summary>
    public static class FuzzTargets
    {
        /// <summary>Every target name, in the order the fuzz loop runs them.</summary>
        public static readonly string[] Names = { "profile", "profile-bundle", "log", "log-bundle", "dacl", "avpair", "show", "health-bundle" };

        private static readonly PsnTarget[] Psns =
        {
            new PsnTarget("10.1.1.1", IPAddress.Parse("10.1.1.1")),
            new PsnTarget("10.1.1.2", IPAddress.Parse("10.1.1.2")),
            new PsnTarget("2001:db8::8", IPAddress.Parse("2001:db8::8")),
        };

        /// <summary>True for targets whose input is a whole zip (written to a scratch file before reading).</summary>
        public static bool IsBundle(string target) => target.EndsWith("-bundle", StringComparison.Ordinal);

        /// <summary>Runs <paramref name="target"/> on <paramref name="input"/>; returns a short summary of the result.</summary>
        public static string Run(string target, byte[] input, string scratchFolder)
        {
            switch (target)
            {
                case "profile":
                    return ProfileDocument.Parse(input, "fuzz.xml", null, "fuzz", null).StateSyncStatus;
                case "log":
                    return Log(new DartSyncEventReader(new DartSyncEventQuery { All = true }).Read(new MemoryStream(input, writable: false), "fuzz.txt"));
                case "dacl":
                    return Acl(input, AclInputFormat.Dacl);
                case "avpair":
                    return Acl(input, AclInputFormat.AvPair);
                case "show":
                    return Acl(input, AclInputFormat.ShowAccessList);
            }

            string path = Path.Combine(scratchFolder, "fuzz-" + Guid.NewGuid().ToString("N") + ".zip");
            File.WriteAllBytes(path, input);
            try
            {
                switch (target)
                {
                    case "profile-bundle":
                        return Profiles(path, new List<string>());
                    case "log-bundle":
                        return Log(new DartSyncEventReader(new DartSyncEventQuery { All = true }).Read(path));
                    case "health-bundle":
                        return HealthBundle.Check(path);
                    default:
                        throw new ArgumentException("Unknown fuzz target '" + target + "'. Targets: " + string.Join(", ", Names), nameof(target));
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        /// <summary>The DART bundle a zip target's seeds and mutations are wrapped in: a profile and a log entry.</summary>
        public static byte[] Bundle(byte[]? profile, byte[]? log, string logName = "AnyConnect_ISEPosture.txt")
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                if (profile != null)
                {
                    Write(zip, "Cisco Secure Client/ISE Posture/ISEPostureCFG.xml", profile);
                }

                if (log != null)
                {
                    Write(zip, "Cisco Secure Client/ISE Posture/" + logName, log);
                }
            }

            return buffer.ToArray();
        }

        internal static string Profiles(string path, List<string> problems)
        {
            int count = PostureProfileReader.ReadPath(path, ex => problems.Add(ex.ErrorId)).Count();
            return count + " profile(s), " + problems.Count + " problem(s)";
        }

        internal static string Log(IEnumerable<DartSyncEvent> events)
        {
            int count = 0;
            foreach (DartSyncEvent e in events)
            {
                count += e.EventType.Length > 0 ? 1 : 0;
            }

            return count + " event(s)";
        }

        internal static string Acl(byte[] input, AclInputFormat format)
        {
            AclDocument document = AclParser.Parse(Encoding.UTF8.GetString(input), format, "fuzz");
            IReadOnlyList<DaclListCheck> checks = DaclEvaluator.Check(AclParser.Select(document, null).Lists, Psns, PostureSync.Core.PostureSyncRule.SyncPort, null);
            return checks.Sum(c => c.Results.Count) + " result(s), " + document.Errors.Count + " error(s)";
        }

        private static void Write(ZipArchive zip, string name, byte[] content)
        {
            using Stream stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
            stream.Write(content, 0, content.Length);
        }
    }
}
