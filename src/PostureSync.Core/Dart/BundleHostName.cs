using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// The endpoint's host name as a DART bundle's system files give it, so a report names the endpoint rather than the
    /// zip. DART gathers system data ("General Information") beside the posture files [seen: LIVE-LOGS.md §4.4]; which
    /// file holds the name, and its layout, is not public: this reads a <c>systeminfo.txt</c> in the layout of Windows'
    /// systeminfo command ("Host Name:"), or a <c>hostname</c> / <c>computername</c> file whose first line is the
    /// name [inferred]. The text is untrusted: a bounded prefix is read and only something shaped like a host name is kept.
    /// </summary>
    internal static class BundleHostName
    {
        /// <summary>Characters read from a system file: systeminfo puts the host name on its first lines.</summary>
        public const int MaxChars = 16 * 1024;

        /// <summary>Files looked at in an extracted bundle folder before giving up on a name.</summary>
        public const int MaxFolderEntries = 5000;

        /// <summary>The files read, by name anywhere in the bundle, in the order they are tried.</summary>
        public static readonly IReadOnlyList<string> FileNames = new[] { "systeminfo.txt", "hostname.txt", "hostname", "computername.txt" };

        private static readonly TimeSpan RegexLimit = TimeSpan.FromSeconds(1);

        // "Host Name:" is what English Windows' systeminfo prints; the other keys are the same fact under other spellings.
        private static readonly Regex KeyedName = new Regex(@"^\s*(?:Host\s*Name|Computer\s*Name|ComputerName|Hostname)\s*[:=]\s*(?<name>\S+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline, RegexLimit);

        // DNS labels, plus the underscore Windows allows in computer names; at least one letter, so an address is not taken for a name.
        private static readonly Regex HostShape = new Regex(@"^(?=.*[A-Za-z])[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*$", RegexOptions.CultureInvariant, RegexLimit);

        /// <summary>The host name and the bundle file it came from; null when no file gives one that looks like a host name.</summary>
        public static (string Name, string File)? Find(string bundlePath)
        {
            try
            {
                return Directory.Exists(bundlePath) ? FindInFolder(bundlePath) : DartBundle.IsZip(bundlePath) ? FindInZip(bundlePath) : null;
            }
            catch (Exception ex) when (ex is PostureSyncException || IoFailures.IsIoFailure(ex) || ex is InvalidDataException || ex is RegexMatchTimeoutException)
            {
                // The name is a nicety: a bundle whose system files cannot be read keeps its file name.
                return null;
            }
        }

        /// <summary>The host name in the text of the system file <paramref name="fileName"/>; null when it holds none that looks like one.</summary>
        public static string? FromText(string fileName, string text)
        {
            string candidate;
            Match keyed = KeyedName.Match(text);
            if (keyed.Success)
            {
                candidate = keyed.Groups["name"].Value;
            }
            else if (!fileName.StartsWith("systeminfo", StringComparison.OrdinalIgnoreCase))
            {
                candidate = text.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0) ?? string.Empty;
            }
            else
            {
                return null;
            }

            return candidate.Length <= 253 && HostShape.IsMatch(candidate) ? candidate : null;
        }

        private static (string Name, string File)? FindInZip(string path)
        {
            using DartBundle bundle = DartBundle.Open(path);
            foreach (string fileName in FileNames)
            {
                foreach (ZipArchiveEntry entry in bundle.FindEntries(name => string.Equals(name, fileName, StringComparison.OrdinalIgnoreCase)))
                {
                    using Stream stream = bundle.OpenEntry(entry);
                    string? name = FromText(fileName, Prefix(stream));
                    if (name != null)
                    {
                        return (name, entry.FullName);
                    }
                }
            }

            return null;
        }

        private static (string Name, string File)? FindInFolder(string folder)
        {
            List<string> files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Take(MaxFolderEntries).ToList();
            foreach (string fileName in FileNames)
            {
                foreach (string file in files.Where(f => string.Equals(Path.GetFileName(f), fileName, StringComparison.OrdinalIgnoreCase)))
                {
                    using FileStream stream = DartBundle.OpenShared(file);
                    string? name = FromText(fileName, Prefix(stream));
                    if (name != null)
                    {
                        return (name, file.Substring(folder.Length).TrimStart(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
                    }
                }
            }

            return null;
        }

        private static string Prefix(Stream stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[MaxChars];
            int read = reader.ReadBlock(buffer, 0, buffer.Length);
            return new string(buffer, 0, read);
        }
    }
}
