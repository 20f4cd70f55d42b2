using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using PostureSync.Core.Dart;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Config
{
    /// <summary>
    /// Finds and reads ISEPostureCFG.xml in a file, a folder, a DART bundle or the places the agent installs it
    /// (DOMAIN.md §3, §4), bounded in size; <see cref="ProfileDocument"/> loads the bytes and <see cref="ProfileJudge"/>
    /// judges the settings.
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

            return ProfileDocument.Parse(bytes, path, null, ClientFamily.FromPath(path), lastWrite);
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

            return ProfileDocument.Parse(bytes, display, bundlePath, ClientFamily.FromPath(entry.FullName), entry.LastWriteTime.DateTime);
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
