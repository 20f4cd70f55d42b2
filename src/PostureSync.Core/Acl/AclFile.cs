using System;
using System.Globalization;
using System.IO;
using System.Text;
using PostureSync.Core.Dart;

namespace PostureSync.Core.Acl
{
    /// <summary>Reads a dACL, av-pair or show access-lists file as text, refusing what cannot be one.</summary>
    internal static class AclFile
    {
        /// <summary>
        /// The most a check can hold in memory (<see cref="AclParser.MaxChars"/>: about 40,000 ACEs); show output of a
        /// whole switch stays far below it.
        /// </summary>
        public const long MaxBytes = AclParser.MaxChars;

        /// <summary>
        /// The file parsed as a dACL in whatever format it holds; <paramref name="givenPath"/> is the path as the user
        /// wrote it, for the error. ErrorIds DaclNotFound, and those of <see cref="Read"/>.
        /// </summary>
        public static AclDocument ReadDocument(string path, string givenPath)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw PathFailures.DoesNotExist(ErrorIds.DaclNotFound, givenPath, "Pass the dACL as text (one ACE per line), RADIUS av-pairs or 'show access-lists' output, saved to a file.", "dACL file");
            }

            return AclParser.Parse(Read(path), AclInputFormat.Auto, path);
        }

        /// <summary>
        /// The file's text (UTF-8, or as its byte-order mark says); ErrorIds DaclPathIsFolder, DaclTooLarge,
        /// DaclReadFailed, and DaclNotAclText for a file that is plainly something else (<see cref="AclTextKind"/>).
        /// </summary>
        public static string Read(string path)
        {
            if (Directory.Exists(path))
            {
                throw new PostureSyncException(ErrorIds.DaclPathIsFolder, FailureKind.InvalidArgument, $"'{path}' is a folder, not an ACL file.", path)
                {
                    RecommendedAction = "Pass the dACL, av-pair or show access-lists file itself.",
                };
            }

            try
            {
                using FileStream stream = DartBundle.OpenShared(path);
                if (stream.Length > MaxBytes)
                {
                    throw new PostureSyncException(
                        ErrorIds.DaclTooLarge,
                        FailureKind.LimitsExceeded,
                        string.Format(CultureInfo.InvariantCulture, "'{0}' is {1:N0} bytes; ACL files over {2:N0} bytes (about 40,000 ACEs) are refused, because every ACE is held in memory while it is checked and a check must end within seconds.", path, stream.Length, MaxBytes),
                        path)
                    {
                        RecommendedAction = "Pass the dACL or the lists to check only (show ip access-lists NAME), or split the file.",
                    };
                }

                using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                string text = reader.ReadToEnd();
                AclTextKind.Refuse(text, path);
                return text;
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                throw IoFailures.Read(ErrorIds.DaclReadFailed, path, ex);
            }
        }
    }
}
