using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PostureSync.Core.Agent;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Tests.Agent
{
    /// <summary>
    /// A scripted operating system with its own clock: tools and services take fake time, so timeouts are tested
    /// exactly and instantly. Every call that could change something is recorded.
    /// </summary>
    internal sealed class FakeAgentHost : IAgentHost
    {
        public FakeAgentHost(OsPlatformKind os)
        {
            Os = os;
            Locations = new AgentLocations(os, os == OsPlatformKind.Windows ? @"C:\ProgramData" : "/fakeroot");
        }

        public OsPlatformKind Os { get; }

        public AgentLocations Locations { get; }

        public DateTime UtcNow { get; private set; } = new DateTime(2025, 11, 26, 8, 0, 0, DateTimeKind.Utc);

        public bool Elevated { get; set; } = true;

        public HashSet<string> Files { get; } = new HashSet<string>(StringComparer.Ordinal);

        public Dictionary<string, string> ToolsOnPath { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public Dictionary<string, FakeService> Services { get; } = new Dictionary<string, FakeService>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Answers a tool call: its result and how long it takes.</summary>
        public Func<IReadOnlyList<string>, (ToolResult Result, TimeSpan Takes)> Tool { get; set; } = _ => (new ToolResult(0, string.Empty), TimeSpan.Zero);

        /// <summary>Every tool run, as "path arg arg", and every service action, as "stop name" / "start name".</summary>
        public List<string> Calls { get; } = new List<string>();

        public bool ElevationChecked { get; private set; }

        public bool IsElevated()
        {
            ElevationChecked = true;
            return Elevated;
        }

        public bool FileExists(string path) => Files.Contains(path);

        public string? FindOnPath(string tool) => ToolsOnPath.TryGetValue(tool, out string? path) ? path : null;

        public ToolResult RunTool(string path, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            (ToolResult result, TimeSpan takes) = Tool(arguments); // throws as the OS does when the tool cannot start: not a run
            Calls.Add(path + " " + string.Join(" ", arguments));
            if (takes > timeout)
            {
                UtcNow += timeout;
                return new ToolResult(-1, string.Empty, timedOut: true);
            }

            UtcNow += takes;
            return result;
        }

        /// <summary>The process table: command name to the id of its newest process.</summary>
        public Dictionary<string, int> Processes { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

        public int? FindProcess(string name) => Processes.TryGetValue(name, out int id) ? id : null;

        public ServiceSnapshot? QueryService(string name) => Services.TryGetValue(name, out FakeService? service) ? service.Snapshot(UtcNow) : null;

        public bool IsServiceDisabled(string name) => Services[name].Disabled;

        /// <summary>Runs inside each stop and start request, before it is answered: lets a test hold the request.</summary>
        public Action<string> DuringServiceRequest { get; set; } = _ => { };

        public ToolResult StopService(string name)
        {
            Calls.Add("stop " + name);
            DuringServiceRequest("stop " + name);
            return Services[name].Stop(UtcNow);
        }

        public ToolResult StartService(string name)
        {
            Calls.Add("start " + name);
            DuringServiceRequest("start " + name);
            return Services[name].Start(UtcNow);
        }

        public void Pause(TimeSpan interval, CancellationToken cancellation)
        {
            cancellation.ThrowIfCancellationRequested();
            UtcNow += interval;
        }

        public IEnumerable<string> ServiceActions => Calls.Where(c => c.StartsWith("stop ", StringComparison.Ordinal) || c.StartsWith("start ", StringComparison.Ordinal));
    }

    /// <summary>
    /// A Windows service that takes a set time to stop and to start, or fails with a Win32 error. Like the service
    /// manager, it refuses a stop with ERROR_SERVICE_CANNOT_ACCEPT_CTRL while a start is pending.
    /// </summary>
    internal sealed class FakeService
    {
        private string status;
        private string? pendingTo;
        private DateTime pendingUntil;
        private int exitCode;

        public FakeService(string status, int? processId)
        {
            this.status = status;
            ProcessId = processId;
        }

        public int? ProcessId { get; private set; }

        public TimeSpan StopTakes { get; set; } = TimeSpan.FromSeconds(2);

        public TimeSpan StartTakes { get; set; } = TimeSpan.FromSeconds(3);

        public int StopError { get; set; }

        public int StartError { get; set; }

        public int NextProcessId { get; set; } = 4242;

        public bool Disabled { get; set; }

        /// <summary>When not 0, a start ends with the service stopped again and this exit code.</summary>
        public int StartExitCode { get; set; }

        /// <summary>Makes the service look as if a start had been issued at <paramref name="at"/>.</summary>
        public FakeService StartingSince(DateTime at)
        {
            Start(at);
            return this;
        }

        public ServiceSnapshot Snapshot(DateTime now)
        {
            if (pendingTo != null && now >= pendingUntil)
            {
                bool startFailed = pendingTo == AgentStatuses.Running && StartExitCode != 0;
                status = startFailed ? AgentStatuses.Stopped : pendingTo;
                exitCode = startFailed ? StartExitCode : 0;
                ProcessId = status == AgentStatuses.Running ? NextProcessId : null;
                pendingTo = null;
            }

            return new ServiceSnapshot(status, ProcessId, exitCode);
        }

        public ToolResult Stop(DateTime now)
        {
            if (StopError != 0)
            {
                return new ToolResult(StopError, $"Win32 error {StopError}");
            }

            if (Snapshot(now).Status == AgentStatuses.StartPending)
            {
                return new ToolResult(1061, "The service cannot accept control messages at this time.");
            }

            status = AgentStatuses.StopPending;
            pendingTo = AgentStatuses.Stopped;
            pendingUntil = now + StopTakes;
            return new ToolResult(0, string.Empty);
        }

        public ToolResult Start(DateTime now)
        {
            if (StartError != 0 || Disabled)
            {
                int error = Disabled ? 1058 : StartError;
                return new ToolResult(error, $"Win32 error {error}");
            }

            status = AgentStatuses.StartPending;
            pendingTo = AgentStatuses.Running;
            pendingUntil = now + StartTakes;
            return new ToolResult(0, string.Empty);
        }
    }
}
