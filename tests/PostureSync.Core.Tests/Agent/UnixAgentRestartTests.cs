using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Threading;
using PostureSync.Core.Agent;
using PostureSync.Core.Platform;
using Xunit;

namespace PostureSync.Core.Tests.Agent
{
    public sealed class UnixAgentRestartTests
    {
        private const string SecureClientMarker = "/fakeroot/opt/cisco/secureclient/bin/csc_iseagentd";
        private const string AnyConnectMarker = "/fakeroot/opt/cisco/anyconnect/bin/aciseagentd";
        private const string Systemctl = "/usr/bin/systemctl";
        private const string Launchctl = "/bin/launchctl";

        private static FakeAgentHost Linux(params string[] markers)
        {
            var host = new FakeAgentHost(OsPlatformKind.Linux);
            host.ToolsOnPath["systemctl"] = Systemctl;
            host.Files.UnionWith(markers);
            return host;
        }

        private static FakeAgentHost Mac(params string[] markers)
        {
            var host = new FakeAgentHost(OsPlatformKind.MacOS);
            host.ToolsOnPath["launchctl"] = Launchctl;
            host.Files.UnionWith(markers);
            return host;
        }

        /// <summary>
        /// systemd answering only restart, as the real one does: the job runs to its end, then vpnagentd runs under a
        /// new process id in the process table. Every other verb fails, so a query the restart should not make shows.
        /// </summary>
        private static Func<IReadOnlyList<string>, (ToolResult, TimeSpan)> Systemd(FakeAgentHost host, ToolResult? restart = null, TimeSpan? restartTakes = null)
        {
            return arguments =>
            {
                if (arguments[0] != "restart")
                {
                    return (new ToolResult(1, $"Unknown command verb {arguments[0]}."), TimeSpan.Zero);
                }

                ToolResult answer = restart ?? new ToolResult(0, string.Empty);
                if (answer.ExitCode == 0)
                {
                    host.Processes["vpnagentd"] = 2002;
                }

                return (answer, restartTakes ?? TimeSpan.FromSeconds(1));
            };
        }

        private static FakeAgentHost LinuxWithVpnAgentRunning(int processId = 1001)
        {
            FakeAgentHost host = Linux(SecureClientMarker);
            host.Processes["vpnagentd"] = processId;
            host.Tool = Systemd(host);
            return host;
        }

        private static AgentRestartResult Restart(FakeAgentHost host, int timeoutSeconds = 60)
        {
            var restarter = new AgentRestarter(host);
            AgentRestartPlan plan = restarter.FindAgent();
            restarter.EnsureElevated(plan);
            return restarter.Restart(plan, TimeSpan.FromSeconds(timeoutSeconds), CancellationToken.None);
        }

        [Theory]
        [InlineData(SecureClientMarker, "csc_iseagentd", ClientFamilies.SecureClient5)]
        [InlineData(AnyConnectMarker, "aciseagentd", ClientFamilies.AnyConnect4)]
        public void LinuxRestartsVpnagentdWithSystemctlFoundOnPath(string marker, string name, string family)
        {
            AgentRestartPlan plan = new AgentRestarter(Linux(marker)).FindAgent();

            Assert.Equal(name, plan.Name);
            Assert.Equal(family, plan.Family);
            Assert.Equal("systemctl restart vpnagentd", plan.Method);
            Assert.Equal(Systemctl, plan.ToolPath);
            Assert.True(plan.DropsVpnTunnel);
            Assert.Contains("DROPS any VPN tunnel", plan.Description, StringComparison.Ordinal);
            Assert.Contains("systemctl restart vpnagentd", plan.Description, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(new[] { SecureClientMarker }, "csc_iseagentd", "launchctl kickstart -k system/com.cisco.secureclient.vpnagentd")]
        [InlineData(new[] { AnyConnectMarker }, "aciseagentd", "launchctl kickstart -k system/com.cisco.anyconnect.vpnagentd")]
        [InlineData(new[] { AnyConnectMarker, SecureClientMarker }, "csc_iseagentd", "launchctl kickstart -k system/com.cisco.secureclient.vpnagentd")]
        public void MacKickstartsTheVpnAgentOfTheInstalledClient(string[] markers, string name, string method)
        {
            AgentRestartPlan plan = new AgentRestarter(Mac(markers)).FindAgent();

            Assert.Equal(name, plan.Name);
            Assert.Equal(method, plan.Method);
            Assert.Equal(Launchctl, plan.ToolPath);
            Assert.True(plan.DropsVpnTunnel);
        }

        [Fact]
        public void NoMarkerIsAgentNotFoundNamingBothPlaces()
        {
            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => new AgentRestarter(Linux()).FindAgent());

            Assert.Equal("AgentNotFound", failure.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, failure.Kind);
            Assert.Contains(SecureClientMarker, failure.Message, StringComparison.Ordinal);
            Assert.Contains(AnyConnectMarker, failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void NoSystemctlOnPathIsAgentRestartFailed()
        {
            FakeAgentHost host = Linux(SecureClientMarker);
            host.ToolsOnPath.Clear();

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => new AgentRestarter(host).FindAgent());

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Contains("systemctl was not found on PATH", failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void LinuxRunsSystemctlExactlyOnceAndReadsTheProcessIdsFromTheProcessTable()
        {
            FakeAgentHost host = LinuxWithVpnAgentRunning();

            AgentRestartResult result = Restart(host);

            Assert.Equal(new[] { Systemctl + " restart vpnagentd" }, host.Calls);
            Assert.Equal("csc_iseagentd", result.Name);
            Assert.Equal("Linux", result.Platform);
            Assert.Equal("systemctl restart vpnagentd", result.Method);
            Assert.Equal(AgentStatuses.Running, result.StatusBefore);
            Assert.Equal(AgentStatuses.Running, result.StatusAfter);
            Assert.Equal(1001, result.ProcessIdBefore);
            Assert.Equal(2002, result.ProcessIdAfter);
            Assert.Equal(TimeSpan.FromSeconds(1), result.Duration);
        }

        [Fact]
        public void ASystemctlThatOnlyExitsZeroIsASuccessfulRestartWhenNoVpnAgentProcessIsSeen()
        {
            FakeAgentHost host = Linux(SecureClientMarker);
            host.Tool = _ => (new ToolResult(0, string.Empty), TimeSpan.FromMilliseconds(400));

            AgentRestartResult result = Restart(host);

            Assert.Equal(new[] { Systemctl + " restart vpnagentd" }, host.Calls);
            Assert.Equal(AgentStatuses.Unknown, result.StatusBefore);
            Assert.Null(result.ProcessIdBefore);
            // systemctl restart returned 0, so systemd finished the start job: the unit runs.
            Assert.Equal(AgentStatuses.Running, result.StatusAfter);
            Assert.Null(result.ProcessIdAfter);
        }

        [Fact]
        public void TheVpnAgentStrategyWorksAloneOnTheDeadlineItIsGiven()
        {
            FakeAgentHost host = LinuxWithVpnAgentRunning(processId: 77);
            var strategy = new VpnAgentRestart(host);
            AgentRestartPlan plan = strategy.FindAgent();

            AgentRestartResult result = strategy.Restart(plan, new RestartDeadline(host, plan, TimeSpan.FromSeconds(30)), CancellationToken.None);

            Assert.Equal(77, result.ProcessIdBefore);
            Assert.Equal(2002, result.ProcessIdAfter);
            Assert.Single(host.Calls);
        }

        [Fact]
        public void AFailingSystemctlIsAgentRestartFailedWithItsExitCodeAndOutput()
        {
            FakeAgentHost host = Linux(SecureClientMarker);
            host.Tool = Systemd(host, restart: new ToolResult(5, "Job for vpnagentd.service failed because the control process exited with error code."));

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(host));

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal(5, failure.Data["ExitCode"]);
            Assert.Contains("exit code 5", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Job for vpnagentd.service failed", failure.Message, StringComparison.Ordinal);
            Assert.Contains("systemctl status vpnagentd", failure.RecommendedAction, StringComparison.Ordinal);
            Assert.Single(host.Calls);
        }

        [Fact]
        public void ARestartLongerThanTheTimeoutIsAgentRestartTimeoutWithinTheTimeout()
        {
            FakeAgentHost host = LinuxWithVpnAgentRunning();
            host.Tool = Systemd(host, restartTakes: TimeSpan.FromMinutes(5));
            DateTime began = host.UtcNow;

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(host, timeoutSeconds: 10));

            Assert.Equal("AgentRestartTimeout", failure.ErrorId);
            Assert.Equal(FailureKind.OperationTimeout, failure.Kind);
            Assert.Equal(AgentStatuses.Running, failure.Data["LastState"]);
            Assert.Contains("'systemctl restart vpnagentd' had not finished", failure.Message, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(10), host.UtcNow - began);
        }

        [Fact]
        public void AMacVpnAgentStuckSpawningTimesOutWithThatState()
        {
            FakeAgentHost host = Mac(SecureClientMarker);
            bool kicked = false;
            host.Tool = arguments =>
            {
                if (arguments[0] == "kickstart")
                {
                    kicked = true;
                    return (new ToolResult(0, string.Empty), TimeSpan.FromMilliseconds(300));
                }

                string print = kicked
                    ? "system/com.cisco.secureclient.vpnagentd = {\n\tstate = spawn scheduled\n\tpid = 0\n}\n"
                    : LaunchctlPrint(611);
                return (new ToolResult(0, print), TimeSpan.FromMilliseconds(30));
            };
            DateTime began = host.UtcNow;

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(host, timeoutSeconds: 5));

            Assert.Equal("AgentRestartTimeout", failure.ErrorId);
            Assert.Equal(AgentStatuses.StartPending, failure.Data["LastState"]);
            Assert.Contains("com.cisco.secureclient.vpnagentd did not run again", failure.Message, StringComparison.Ordinal);
            Assert.InRange(host.UtcNow - began, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.1));
        }

        [Fact]
        public void NotRootFailsBeforeAnyToolRuns()
        {
            FakeAgentHost host = Linux(SecureClientMarker);
            host.Elevated = false;

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(host));

            Assert.Equal("AgentRestartNeedsElevation", failure.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, failure.Kind);
            Assert.Contains("sudo", failure.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(host.Calls);
        }

        [Fact]
        public void MacKickstartsAndReadsTheStateFromLaunchctlPrint()
        {
            FakeAgentHost host = Mac(SecureClientMarker);
            bool kicked = false;
            host.Tool = arguments =>
            {
                if (arguments[0] == "kickstart")
                {
                    kicked = true;
                    return (new ToolResult(0, string.Empty), TimeSpan.FromMilliseconds(300));
                }

                return (new ToolResult(0, LaunchctlPrint(kicked ? 702 : 611)), TimeSpan.FromMilliseconds(30));
            };

            AgentRestartResult result = Restart(host);

            Assert.Contains(Launchctl + " kickstart -k system/com.cisco.secureclient.vpnagentd", host.Calls);
            Assert.Equal("MacOS", result.Platform);
            Assert.Equal(611, result.ProcessIdBefore);
            Assert.Equal(702, result.ProcessIdAfter);
            Assert.Equal(AgentStatuses.Running, result.StatusAfter);
        }

        [Fact]
        public void MacKickstartFailureIsAgentRestartFailed()
        {
            FakeAgentHost host = Mac(AnyConnectMarker);
            host.Tool = arguments => arguments[0] == "kickstart"
                ? (new ToolResult(113, "Could not find service \"com.cisco.anyconnect.vpnagentd\" in domain for system"), TimeSpan.Zero)
                : (new ToolResult(113, "Could not find service"), TimeSpan.Zero);

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(host));

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal(113, failure.Data["ExitCode"]);
            Assert.Contains("launchctl print system/com.cisco.anyconnect.vpnagentd", failure.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public void ASystemctlThatCannotBeStartedIsAgentRestartFailed()
        {
            FakeAgentHost host = Linux(SecureClientMarker);
            host.Tool = _ => throw new Win32Exception(13, "Permission denied");

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(host));

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal("csc_iseagentd", failure.Target);
            Assert.Contains("Cannot run " + Systemctl + ": Permission denied", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(host.Calls, call => call.Contains("restart", StringComparison.Ordinal));
        }

        [Fact]
        public void ReadsOnlyTheServicesOwnStateFromLaunchctlPrint()
        {
            string print = "system/com.cisco.secureclient.vpnagentd = {\n\tactive count = 1\n\tpath = /Library/LaunchDaemons/com.cisco.secureclient.vpnagentd.plist\n"
                + "\tevent triggers = {\n\t\tstate = not running\n\t}\n\tstate = spawn scheduled\n\tpid = 0\n}\n";

            ServiceSnapshot snapshot = ServiceStatusOutput.ParseLaunchctlPrint(new ToolResult(0, print));

            Assert.Equal(AgentStatuses.StartPending, snapshot.Status);
            Assert.Null(snapshot.ProcessId);
            Assert.Equal(AgentStatuses.NotLoaded, ServiceStatusOutput.ParseLaunchctlPrint(new ToolResult(113, "Could not find service")).Status);
        }

        private static string LaunchctlPrint(int pid) =>
            "system/com.cisco.secureclient.vpnagentd = {\n\tactive count = 1\n\tpath = /Library/LaunchDaemons/com.cisco.secureclient.vpnagentd.plist\n"
            + $"\ttype = LaunchDaemon\n\tstate = running\n\n\tprogram = /opt/cisco/secureclient/bin/vpnagentd\n\tpid = {pid}\n\tlast exit code = (never exited)\n}}\n";
    }
}
