using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using PostureSync.Core.Agent;
using PostureSync.Core.Platform;

namespace PostureSync.Core.AgentLog
{
    /// <summary>
    /// Finds a log tool on PATH (as Restart-PostureAgent finds systemctl, so tests put a stub first) and runs it with
    /// its output read as it comes: bounded in time (the tool is killed at the timeout), in size (killed past the cap)
    /// and cancelled within a second (the tool is killed, which ends the blocked read at once).
    /// </summary>
    internal sealed class LogTool
    {
        private readonly OsPlatformKind os;
        private readonly string? searchPath;

        /// <param name="searchPath">The folders to search, PATH's way; null for the process's PATH.</param>
        public LogTool(OsPlatformKind os, string? searchPath = null)
        {
            this.os = os;
            this.searchPath = searchPath;
        }

        public string? Find(string tool) => SystemAgentHost.FindOnPath(os, tool, searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty);

        /// <summary>Starts the tool; the caller reads <see cref="LogToolRun.Output"/>, then calls <see cref="LogToolRun.Finish"/>.</summary>
        public LogToolRun Start(string path, IReadOnlyList<string> arguments, LiveLogLimits limits, CancellationToken cancellation) =>
            new LogToolRun(path, arguments, limits, cancellation);
    }

    /// <summary>One bounded run of a log tool.</summary>
    internal sealed class LogToolRun : IDisposable
    {
        private const int MaxErrorChars = 4096;

        private readonly Process process;
        private readonly CancellationTokenSource deadline;
        private readonly CancellationToken cancellation;
        private readonly CancellationTokenRegistration killOnStop;
        private readonly StringBuilder errors = new StringBuilder();
        private readonly LiveLogLimits limits;
        private readonly string tool;

        internal LogToolRun(string path, IReadOnlyList<string> arguments, LiveLogLimits limits, CancellationToken cancellation)
        {
            tool = Path.GetFileName(path);
            this.limits = limits;
            this.cancellation = cancellation;
            var start = new ProcessStartInfo(path, SystemAgentHost.JoinArguments(arguments))
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                StandardOutputEncoding = new UTF8Encoding(false, false),
                StandardErrorEncoding = new UTF8Encoding(false, false),
            };

            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException(path + " did not start.");
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                throw new PostureSyncException(ErrorIds.LogUnreadable, FailureKind.ResourceUnavailable, $"'{path}' could not be started: {ex.Message}", path, ex)
                {
                    RecommendedAction = "Check that the tool is executable by this account, or collect a DART bundle and pass it with -Path.",
                };
            }

            process.StandardInput.Close(); // a tool that asks a question gets end-of-file, not a hang
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    lock (errors)
                    {
                        if (errors.Length < MaxErrorChars)
                        {
                            errors.AppendLine(e.Data.Length > MaxErrorChars ? e.Data.Substring(0, MaxErrorChars) : e.Data);
                        }
                    }
                }
            };
            process.BeginErrorReadLine();
            deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(limits.Timeout);
            killOnStop = deadline.Token.Register(Kill);
            Output = new BoundedReader(process.StandardOutput, limits.MaxChars, this);
        }

        /// <summary>The tool's standard output; a read past the cap throws LogTooLarge.</summary>
        public TextReader Output { get; }

        /// <summary>
        /// Waits for the tool to end (bounded by what is left of the timeout) and says how: its exit code and the
        /// start of what it wrote to standard error. Throws OperationCanceledException when the user stopped it and
        /// LogUnreadable when the timeout passed.
        /// </summary>
        public (int ExitCode, string Errors) Finish()
        {
            while (!process.WaitForExit(100))
            {
                if (deadline.IsCancellationRequested)
                {
                    Kill();
                    break;
                }
            }

            cancellation.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested)
            {
                throw TimedOut();
            }

            process.WaitForExit(); // lets the error reader finish its last line
            lock (errors)
            {
                return (process.ExitCode, errors.ToString().Trim());
            }
        }

        public void Dispose()
        {
            killOnStop.Dispose();
            Kill();
            deadline.Dispose();
            process.Dispose();
        }

        private PostureSyncException TimedOut() => new PostureSyncException(
            ErrorIds.LogUnreadable,
            FailureKind.OperationTimeout,
            $"{tool} did not finish within {limits.Timeout.TotalSeconds:0} s, so the agent's log was not read to the end.",
            tool)
        {
            RecommendedAction = "Narrow the time range with -After, or collect a DART bundle and pass it with -Path.",
        };

        private void Kill()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
            catch (Exception ended) when (ended is InvalidOperationException || ended is System.ComponentModel.Win32Exception)
            {
                // it ended on its own meanwhile
            }
        }

        /// <summary>Counts what is read; past the cap it kills the tool and throws LogTooLarge; a stop ends the read.</summary>
        private sealed class BoundedReader : TextReader
        {
            private readonly TextReader inner;
            private readonly long maxChars;
            private readonly LogToolRun run;
            private long read;

            public BoundedReader(TextReader inner, long maxChars, LogToolRun run)
            {
                this.inner = inner;
                this.maxChars = maxChars;
                this.run = run;
            }

            public override int Peek() => inner.Peek();

            public override int Read()
            {
                var one = new char[1];
                return Read(one, 0, 1) == 0 ? -1 : one[0];
            }

            public override int Read(char[] buffer, int index, int count)
            {
                int n = inner.Read(buffer, index, count);
                read += n;
                if (read > maxChars)
                {
                    run.Kill();
                    throw LiveLogErrors.TooLarge(run.tool, maxChars);
                }

                if (n == 0)
                {
                    // A killed tool ends its output: say why rather than pass for the end of the log.
                    run.cancellation.ThrowIfCancellationRequested();
                    if (run.deadline.IsCancellationRequested)
                    {
                        throw run.TimedOut();
                    }
                }

                return n;
            }
        }
    }
}
