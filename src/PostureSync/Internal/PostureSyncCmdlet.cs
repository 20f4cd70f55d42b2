using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Threading;
using PostureSync.Core;
using PostureSync.Core.Net;

namespace PostureSync.Internal
{
    /// <summary>
    /// What every PostureSync cmdlet shares: core failures turned into ErrorRecords, file-system path
    /// resolution with wildcards, and a cancellation token that Ctrl+C (StopProcessing) trips.
    /// </summary>
    public abstract class PostureSyncCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken Cancellation => stopping.Token;

        public void Dispose()
        {
            stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>One bad item: report it and go on.</summary>
        protected void WriteFailure(PostureSyncException failure) => WriteError(ToErrorRecord(failure));

        /// <summary>Unusable input: stop the command.</summary>
        protected void ThrowFailure(PostureSyncException failure) => ThrowTerminatingError(ToErrorRecord(failure));

        internal static ErrorRecord ToErrorRecord(PostureSyncException failure)
        {
            var record = new ErrorRecord(failure, failure.ErrorId, CategoryOf(failure.Kind), failure.Target);
            if (failure.RecommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(failure.Message) { RecommendedAction = failure.RecommendedAction };
            }

            return record;
        }

        internal static ErrorCategory CategoryOf(FailureKind kind) => kind switch
        {
            FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            FailureKind.InvalidData => ErrorCategory.InvalidData,
            FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
            FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
            FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
            FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            FailureKind.ConnectionError => ErrorCategory.ConnectionError,
            FailureKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
            _ => ErrorCategory.NotSpecified,
        };

        /// <summary>
        /// Resolves -Path (wildcards) or -LiteralPath to file-system paths. A path that matches nothing, or that is not
        /// on the file system, is reported as a non-terminating error and skipped.
        /// </summary>
        protected IEnumerable<string> ResolveInputPaths(IEnumerable<string> paths, bool literal)
        {
            foreach (string path in paths)
            {
                if (string.IsNullOrWhiteSpace(path))
                {
                    continue;
                }

                Collection<string> resolved;
                ProviderInfo provider;
                try
                {
                    if (literal)
                    {
                        string single = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                        resolved = new Collection<string>();
                        if (File.Exists(single) || Directory.Exists(single))
                        {
                            resolved.Add(single);
                        }
                    }
                    else
                    {
                        resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
                    }
                }
                catch (ItemNotFoundException)
                {
                    resolved = new Collection<string>();
                    provider = null!;
                }
                catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is PSArgumentException || ex is NotSupportedException)
                {
                    WriteFailure(new PostureSyncException("PathInvalid", FailureKind.InvalidArgument, $"'{path}' is not a usable path: {ex.Message}", path)
                    {
                        RecommendedAction = "Pass a file-system path; use -LiteralPath when the name holds [ or ].",
                    });
                    continue;
                }

                if (resolved.Count == 0)
                {
                    bool pattern = WildcardPattern.ContainsWildcardCharacters(path) && !literal;
                    WriteFailure(new PostureSyncException("PathNotFound", FailureKind.ObjectNotFound, pattern ? $"No file matches '{path}'." : $"Cannot find '{path}'.", path)
                    {
                        RecommendedAction = pattern
                            ? "Check the path; if the name holds [ or ], pass it with -LiteralPath."
                            : "Check the path and try again.",
                    });
                    continue;
                }

                if (provider != null && provider.Name != "FileSystem")
                {
                    WriteFailure(new PostureSyncException("PathNotFileSystem", FailureKind.InvalidArgument, $"'{path}' is on the {provider.Name} provider; PostureSync reads files only.", path)
                    {
                        RecommendedAction = "Pass a file-system path.",
                    });
                    continue;
                }

                foreach (string item in resolved)
                {
                    yield return item;
                }
            }
        }

        /// <summary>DNS, or the hosts-format file named by POSTURESYNC_HOSTS_FILE; an unreadable file is a core failure.</summary>
        protected static IHostResolver ResolverFromEnvironment()
        {
            try
            {
                return HostResolvers.FromEnvironment();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                string file = Environment.GetEnvironmentVariable(HostResolvers.HostsFileVariable) ?? string.Empty;
                throw ReadFailure("HostsFileUnreadable", file, ex);
            }
        }

        /// <summary>Turns an I/O failure while reading an item into the core's failure shape.</summary>
        internal static PostureSyncException ReadFailure(string errorId, string path, Exception ex) => new PostureSyncException(
            errorId,
            ex is UnauthorizedAccessException ? FailureKind.PermissionDenied : FailureKind.ResourceUnavailable,
            $"Cannot read '{path}': {ex.Message}",
            path,
            ex)
        {
            RecommendedAction = ex is UnauthorizedAccessException
                ? "Run PowerShell as an administrator, or copy the file somewhere you can read."
                : "Check that the file is still there and readable, then try again.",
        };
    }
}
