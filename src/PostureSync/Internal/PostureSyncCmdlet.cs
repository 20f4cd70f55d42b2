using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
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
        private IOperationReporter? reporter;

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
            FailureKind.AuthenticationError => ErrorCategory.AuthenticationError,
            FailureKind.SecurityError => ErrorCategory.SecurityError,
            FailureKind.ResourceExists => ErrorCategory.ResourceExists,
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
                    WriteFailure(new PostureSyncException(ErrorIds.PathInvalid, FailureKind.InvalidArgument, $"'{path}' is not a usable path: {ex.Message}", path)
                    {
                        RecommendedAction = "Pass a file-system path; use -LiteralPath when the name holds [ or ].",
                    });
                    continue;
                }

                if (resolved.Count == 0)
                {
                    WriteFailure(!literal && WildcardPattern.ContainsWildcardCharacters(path)
                        ? PathFailures.NoFileMatches(ErrorIds.PathNotFound, path, "Check the folder and the pattern; Get-ChildItem with the same path lists what it matches.", LiteralNameExists(path))
                        : PathFailures.DoesNotExist(ErrorIds.PathNotFound, path, "Check the path and try again."));
                    continue;
                }

                if (provider != null && provider.Name != "FileSystem")
                {
                    WriteFailure(new PostureSyncException(ErrorIds.PathNotFileSystem, FailureKind.InvalidArgument, $"'{path}' is on the {provider.Name} provider; PostureSync reads files only.", path)
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

        /// <summary>Whether a wildcard path that matched nothing names an existing file when read literally (a name with [ or ]).</summary>
        private protected bool LiteralNameExists(string path)
        {
            try
            {
                string literal = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                return File.Exists(literal) || Directory.Exists(literal);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is PSArgumentException || ex is NotSupportedException)
            {
                return false;
            }
        }

        /// <summary>DNS, or the hosts-format file named by POSTURESYNC_HOSTS_FILE; an unreadable file stops the command.</summary>
        private protected IHostResolver ResolverFromEnvironment() => StopOnFailure(HostResolvers.FromEnvironment);

        /// <summary>Runs a core step that fails as a whole (bad arguments, unusable input): its failure stops the command.</summary>
        protected T StopOnFailure<T>(Func<T> step)
        {
            try
            {
                return step();
            }
            catch (PostureSyncException ex)
            {
                ThrowFailure(ex);
                throw; // ThrowTerminatingError does not return.
            }
        }

        /// <summary>The reporting channel core operations write to: errors, warnings, verbose, progress, Ctrl+C.</summary>
        private protected IOperationReporter Reporter => reporter ??= new CmdletReporter(this);

        /// <summary>
        /// Writes what the core reports through this cmdlet's streams. Progress goes out at once the first time, then a
        /// few times a second at most, however fast the core reports; a completion goes out only after progress did.
        /// </summary>
        private sealed class CmdletReporter : IOperationReporter
        {
            private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

            private readonly PostureSyncCmdlet cmdlet;
            private readonly Stopwatch sinceProgress = new Stopwatch();

            public CmdletReporter(PostureSyncCmdlet cmdlet) => this.cmdlet = cmdlet;

            public CancellationToken Cancellation => cmdlet.Cancellation;

            public void Failure(PostureSyncException failure) => cmdlet.WriteFailure(failure);

            public void Warning(string message) => cmdlet.WriteWarning(message);

            public void Verbose(string message) => cmdlet.WriteVerbose(message);

            public void Progress(OperationProgress progress)
            {
                if (progress.Completed)
                {
                    if (sinceProgress.IsRunning)
                    {
                        sinceProgress.Reset();
                        cmdlet.WriteProgress(new ProgressRecord(1, progress.Activity, progress.Status) { RecordType = ProgressRecordType.Completed });
                    }

                    return;
                }

                if (sinceProgress.IsRunning && sinceProgress.Elapsed < ProgressInterval)
                {
                    return;
                }

                sinceProgress.Restart();
                var record = new ProgressRecord(1, progress.Activity, progress.Status) { PercentComplete = progress.PercentComplete };
                if (progress.CurrentOperation != null)
                {
                    record.CurrentOperation = progress.CurrentOperation;
                }

                cmdlet.WriteProgress(record);
            }
        }
    }
}
