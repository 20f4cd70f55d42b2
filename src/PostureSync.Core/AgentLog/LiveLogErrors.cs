using System;

namespace PostureSync.Core.AgentLog
{
    /// <summary>The errors of a live read, each saying what to do (run elevated, or fall back to a DART bundle).</summary>
    internal static class LiveLogErrors
    {
        public const string DartAdvice = "collect a DART bundle (Secure Client's Diagnostics and Reporting Tool, or dartcli -dst <zip>) and pass it with -Path";

        public static PostureSyncException NotFound(string source, string what, string todo) => new PostureSyncException(
            ErrorIds.LogNotFound, FailureKind.ObjectNotFound, $"The posture agent's live log was not found in {source}: {what}.", source)
        {
            RecommendedAction = todo,
        };

        public static PostureSyncException Unreadable(string source, string what, string todo, Exception? inner = null) => new PostureSyncException(
            ErrorIds.LogUnreadable, FailureKind.ResourceUnavailable, $"The posture agent's live log in {source} could not be read: {what}.", source, inner)
        {
            RecommendedAction = todo,
        };

        public static PostureSyncException Denied(string source, string what, string todo, Exception? inner = null) => new PostureSyncException(
            ErrorIds.LogUnreadable, FailureKind.PermissionDenied, $"The posture agent's live log in {source} could not be read: {what}.", source, inner)
        {
            RecommendedAction = todo,
        };

        public static PostureSyncException TooLarge(string source, long maxChars) => new PostureSyncException(
            ErrorIds.LogTooLarge, FailureKind.LimitsExceeded, $"Reading the posture agent's live log from {source} stopped after {maxChars / (1024 * 1024)} MB of text.", source)
        {
            RecommendedAction = "Narrow the time range with -After (the health check reads only since the agent's last start).",
        };

        /// <summary>A time as log tools take it on the command line: the local wall clock, "YYYY-MM-DD HH:MM:SS".</summary>
        public static string ToolTime(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
    }
}
