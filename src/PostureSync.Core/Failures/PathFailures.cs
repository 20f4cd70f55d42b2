namespace PostureSync.Core
{
    /// <summary>
    /// The one wording for an input path that names nothing, so every cmdlet and reader says it alike: a wildcard that
    /// matches nothing "No file matches", a literal name that is not there "does not exist".
    /// </summary>
    internal static class PathFailures
    {
        /// <summary>
        /// A wildcard <paramref name="pattern"/> that matched nothing. <paramref name="literalNameExists"/>: a file has
        /// the pattern's very name (its [ and ] were read as wildcards), so -LiteralPath would find it.
        /// </summary>
        public static PostureSyncException NoFileMatches(string errorId, string pattern, string recommendedAction, bool literalNameExists, string? role = null) =>
            new PostureSyncException(errorId, FailureKind.ObjectNotFound, $"No file matches {RoleText(role)}'{pattern}'." + (literalNameExists ? " A file has that very name: -Path reads its [ and ] as wildcards." : string.Empty), pattern)
            {
                RecommendedAction = literalNameExists ? "Pass that file with -LiteralPath." : recommendedAction,
            };

        /// <summary>A literal path (no wildcard, or -LiteralPath) that names no file or folder.</summary>
        public static PostureSyncException DoesNotExist(string errorId, string path, string recommendedAction, string? role = null) =>
            new PostureSyncException(errorId, FailureKind.ObjectNotFound, $"{(role == null ? string.Empty : "The " + role + " ")}'{path}' does not exist.", path)
            {
                RecommendedAction = recommendedAction,
            };

        private static string RoleText(string? role) => role == null ? string.Empty : "the " + role + " ";
    }
}
