using System;
using System.IO;
using System.Security;

namespace PostureSync.Core
{
    /// <summary>
    /// The one place where an operating-system failure to read something becomes a <see cref="PostureSyncException"/>,
    /// so no raw I/O exception crosses a core API and every reader says the same thing about the same failure.
    /// </summary>
    internal static class IoFailures
    {
        /// <summary>The exceptions the file system throws for a file that is gone, locked, refused or damaged on disk.</summary>
        public static bool IsIoFailure(Exception ex) =>
            ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException;

        /// <summary>
        /// A read failure of <paramref name="path"/>, reported with <paramref name="errorId"/>, or with
        /// <paramref name="deniedErrorId"/> when the system refused access and the caller has an ErrorId for that.
        /// </summary>
        public static PostureSyncException Read(string errorId, string path, Exception ex, string? deniedErrorId = null)
        {
            bool denied = ex is UnauthorizedAccessException || ex is SecurityException;
            return new PostureSyncException(
                denied && deniedErrorId != null ? deniedErrorId : errorId,
                denied ? FailureKind.PermissionDenied : FailureKind.ResourceUnavailable,
                $"Cannot read '{path}': {ex.Message}",
                path,
                ex)
            {
                RecommendedAction = denied
                    ? "Run PowerShell as an administrator, or copy the file somewhere you can read."
                    : "Check that the file is still there, not locked exclusively, and on a readable medium, then try again.",
            };
        }
    }
}
