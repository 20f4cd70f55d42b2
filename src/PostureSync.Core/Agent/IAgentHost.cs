using System;
using System.Collections.Generic;
using System.Threading;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// Everything the agent restart needs from the operating system, so the restart logic can be tested with fakes
    /// for every platform on any platform. <see cref="SystemAgentHost"/> is the real one.
    /// </summary>
    internal interface IAgentHost
    {
        OsPlatformKind Os { get; }

        /// <summary>Where the agent's files live (install markers on macOS and Linux).</summary>
        AgentLocations Locations { get; }

        /// <summary>Administrator (Windows) or effective uid 0 (macOS, Linux).</summary>
        bool IsElevated();

        bool FileExists(string path);

        /// <summary>The full path of a tool found on PATH, or null.</summary>
        string? FindOnPath(string tool);

        /// <summary>Runs a tool, capturing its exit code and output; killed when the timeout passes.</summary>
        ToolResult RunTool(string path, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellation);

        /// <summary>The id of the newest process with this command name (Linux: /proc under the system root), or null when none runs.</summary>
        int? FindProcess(string name);

        /// <summary>A Windows service's state and process id, or null when no such service is installed.</summary>
        ServiceSnapshot? QueryService(string name);

        /// <summary>Whether a Windows service's start type is Disabled (so it could be stopped but not started again).</summary>
        bool IsServiceDisabled(string name);

        /// <summary>Asks the Windows service manager to stop a service; ExitCode is the Win32 error (0 = accepted).</summary>
        ToolResult StopService(string name);

        /// <summary>Asks the Windows service manager to start a service; ExitCode is the Win32 error (0 = accepted).</summary>
        ToolResult StartService(string name);

        DateTime UtcNow { get; }

        /// <summary>Waits between two state checks.</summary>
        void Pause(TimeSpan interval, CancellationToken cancellation);
    }

    /// <summary>How a tool or a service-manager call ended.</summary>
    internal sealed class ToolResult
    {
        public ToolResult(int exitCode, string output, bool timedOut = false)
        {
            ExitCode = exitCode;
            Output = output;
            TimedOut = timedOut;
        }

        public int ExitCode { get; }

        /// <summary>Standard output and standard error together, trimmed.</summary>
        public string Output { get; }

        public bool TimedOut { get; }
    }

    /// <summary>A service's state (one of <see cref="AgentStatuses"/>) and its process id when it has one.</summary>
    internal sealed class ServiceSnapshot
    {
        public ServiceSnapshot(string status, int? processId, int exitCode = 0)
        {
            Status = status;
            ProcessId = processId;
            ExitCode = exitCode;
        }

        public string Status { get; }

        public int? ProcessId { get; }

        /// <summary>A Windows service's exit code (its service-specific code when it reports one); 0 elsewhere.</summary>
        public int ExitCode { get; }
    }

    /// <summary>The states reported in AgentRestartResult, the same words on every platform.</summary>
    internal static class AgentStatuses
    {
        public const string Running = "Running";
        public const string Stopped = "Stopped";
        public const string StartPending = "StartPending";
        public const string StopPending = "StopPending";
        public const string Paused = "Paused";
        public const string Failed = "Failed";
        public const string NotLoaded = "NotLoaded";
        public const string Unknown = "Unknown";
    }
}
