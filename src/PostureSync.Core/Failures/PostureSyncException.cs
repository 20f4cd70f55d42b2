using System;

namespace PostureSync.Core
{
    /// <summary>What kind of failure a <see cref="PostureSyncException"/> reports; the cmdlets map it to an ErrorCategory.</summary>
    public enum FailureKind
    {
        NotSpecified,
        ObjectNotFound,
        InvalidData,
        InvalidArgument,
        PermissionDenied,
        OperationTimeout,
        ResourceUnavailable,
        ConnectionError,
        LimitsExceeded,
        AuthenticationError,
        SecurityError,
        ResourceExists,
    }

    /// <summary>
    /// A failure the core expects and can explain: it carries the stable ErrorId the cmdlets report, the kind of
    /// failure, and the item it concerns, so the cmdlet layer can turn it into an ErrorRecord without guessing.
    /// </summary>
    public sealed class PostureSyncException : Exception
    {
        public PostureSyncException(string errorId, FailureKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        public string ErrorId { get; }

        public FailureKind Kind { get; }

        public object? Target { get; }

        /// <summary>What the user can do about it; shown as the ErrorRecord's recommended action.</summary>
        public string? RecommendedAction { get; set; }
    }
}
