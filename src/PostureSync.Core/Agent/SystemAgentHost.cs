using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Agent
{
    /// <summary>The real operating system: files, PATH, child processes, the Windows service manager, the clock.</summary>
    internal sealed class SystemAgentHost : IAgentHost
    {
        // A tool's children may keep its output pipes open after it exits; do not wait on them for long.
        private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

        public SystemAgentHost(OsPlatformKind os, AgentLocations locations)
        {
            Os = os;
            Locations = locations;
        }

        public static SystemAgentHost ForCurrentSystem()
        {
            AgentLocations locations = AgentLocations.ForCurrentSystem();
            return new SystemAgentHost(locations.Os, locations);
        }

        public OsPlatformKind Os { get; }

        public AgentLocations Locations { get; }

        public DateTime UtcNow => DateTime.UtcNow;

        public bool IsElevated() => Os switch
        {
            OsPlatformKind.Windows => WindowsNative.IsAdministrator(),
            OsPlatformKind.Linux => UnixIdentity.LinuxEffectiveUserId() == 0,
            _ => UnixIdentity.EffectiveUserId() == 0,
        };

        public bool FileExists(string path) => File.Exists(path);

        public string? FindOnPath(string tool) => FindOnPath(Os, tool, Environment.GetEnvironmentVariable("PATH") ?? string.Empty);

        /// <summary>The first file named after the tool (with ".exe" first on Windows) in the folders of a PATH value.</summary>
        internal static string? FindOnPath(OsPlatformKind os, string tool, string path)
        {
            string[] names = os == OsPlatformKind.Windows ? new[] { tool + ".exe", tool } : new[] { tool };
            foreach (string folder in path.Split(new[] { System.IO.Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (string name in names)
                {
                    string candidate;
                    try
                    {
                        candidate = System.IO.Path.Combine(folder.Trim(), name);
                    }
                    catch (ArgumentException)
                    {
                        continue; // a PATH entry with characters no path may hold
                    }

                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }

            return null;
        }

        public ToolResult RunTool(string path, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellation)
        {
            var start = new ProcessStartInfo(path, JoinArguments(arguments))
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };

            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start.");
            process.StandardInput.Close(); // a tool that asks a question gets end-of-file, not a hang
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!process.WaitForExit(50))
            {
                if (cancellation.IsCancellationRequested || clock.Elapsed >= timeout)
                {
                    Kill(process);
                    cancellation.ThrowIfCancellationRequested();
                    return new ToolResult(-1, Collect(stdout, stderr, TimeSpan.Zero), timedOut: true);
                }
            }

            return new ToolResult(process.ExitCode, Collect(stdout, stderr, OutputDrainLimit));
        }

        public int? FindProcess(string name) => Os == OsPlatformKind.Linux
            ? ProcTable.Newest(ProcTable.Under(Locations.Root), name)?.ProcessId
            : throw new PlatformNotSupportedException("The restart reads the process table only on Linux.");

        public ServiceSnapshot? QueryService(string name) => Os == OsPlatformKind.Windows ? WindowsNative.QueryService(name) : null;

        public bool IsServiceDisabled(string name) => Os == OsPlatformKind.Windows && WindowsNative.IsDisabled(name);

        public ToolResult StopService(string name) => Os == OsPlatformKind.Windows
            ? WindowsNative.StopService(name)
            : throw new PlatformNotSupportedException("Windows services exist only on Windows.");

        public ToolResult StartService(string name) => Os == OsPlatformKind.Windows
            ? WindowsNative.StartService(name)
            : throw new PlatformNotSupportedException("Windows services exist only on Windows.");

        public void Pause(TimeSpan interval, CancellationToken cancellation)
        {
            cancellation.WaitHandle.WaitOne(interval);
            cancellation.ThrowIfCancellationRequested();
        }

        private static void Kill(Process process)
        {
            try
            {
                process.Kill();
                process.WaitForExit(1000); // gone (and reaped) before the caller goes on, not left behind
            }
            catch (Exception ended) when (ended is InvalidOperationException || ended is System.ComponentModel.Win32Exception)
            {
                // it ended on its own meanwhile (Windows answers a kill of an exiting process with access denied)
            }
        }

        private static string Collect(Task<string> stdout, Task<string> stderr, TimeSpan drainLimit)
        {
            Task.WaitAll(new Task[] { stdout, stderr }.Where(t => !t.IsCompleted).ToArray(), drainLimit);
            string Text(Task<string> read) => read.Status == TaskStatus.RanToCompletion ? read.Result : string.Empty;
            return (Text(stdout).TrimEnd() + Environment.NewLine + Text(stderr).TrimEnd()).Trim();
        }

        /// <summary>Quotes arguments the way the runtime splits them again (the MSVCRT rules, on every OS).</summary>
        internal static string JoinArguments(IEnumerable<string> arguments)
        {
            var line = new StringBuilder();
            foreach (string argument in arguments)
            {
                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '"' }) < 0)
                {
                    line.Append(argument);
                    continue;
                }

                line.Append('"');
                int backslashes = 0;
                foreach (char c in argument)
                {
                    if (c == '\\')
                    {
                        backslashes++;
                        continue;
                    }

                    line.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
                    backslashes = 0;
                    line.Append(c);
                }

                line.Append('\\', backslashes * 2);
                line.Append('"');
            }

            return line.ToString();
        }
    }
}
