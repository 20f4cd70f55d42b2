using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PostureSync.Core.Dart;

namespace PostureSync.Core.Acl
{
    /// <summary>
    /// The list names in ACL text, for completing -AclName as the user types: a bounded prefix of a bounded number of
    /// files is read, and anything unreadable or plainly not ACL text gives no names rather than an error.
    /// </summary>
    internal static class AclListNames
    {
        /// <summary>Files read per completion: a wildcard over a big folder must not stall the prompt.</summary>
        public const int MaxFiles = 8;

        /// <summary>Characters read from each file: a switch's whole show access-lists fits many times over.</summary>
        public const int MaxCharsPerFile = 1 << 20;

        /// <summary>Names offered per completion.</summary>
        public const int MaxNames = 500;

        /// <summary>Each list's name in the text, in order, without repeats; none when the text is not ACL text.</summary>
        public static IReadOnlyList<string> InText(string text)
        {
            if (string.IsNullOrEmpty(text) || AclTextKind.NotAclText(text) != null)
            {
                return Array.Empty<string>();
            }

            return AclParser.Parse(text, AclInputFormat.Auto, "completion").Lists
                .Select(list => list.Name)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Take(MaxNames)
                .ToList();
        }

        /// <summary>The list names in the first <see cref="MaxFiles"/> files, each read up to <see cref="MaxCharsPerFile"/> characters.</summary>
        public static IReadOnlyList<string> InFiles(IEnumerable<string> paths)
        {
            var names = new List<string>();
            foreach (string path in paths.Take(MaxFiles))
            {
                names.AddRange(InText(Prefix(path)));
            }

            return names.Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxNames).ToList();
        }

        private static string Prefix(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return string.Empty;
                }

                using FileStream stream = DartBundle.OpenShared(path);
                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var buffer = new char[MaxCharsPerFile];
                int read = reader.ReadBlock(buffer, 0, buffer.Length);
                string text = new string(buffer, 0, read);

                // A cut last line could be half a list header: drop it unless the whole file was read.
                int lastBreak = text.LastIndexOf('\n');
                return read < buffer.Length || lastBreak < 0 ? text : text.Substring(0, lastBreak);
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                return string.Empty;
            }
        }
    }
}
