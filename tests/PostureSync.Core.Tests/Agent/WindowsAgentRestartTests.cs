using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using PostureSync.Core.Agent;
using PostureSync.Core.Platform;
using Xunit;

namespace PostureSync.Core.Tests.Agent
{
    public sealed class WindowsAgentRestartTests
    {
        private readonly FakeAgentHost host = new FakeAgentHost(OsPlatformKind.Windows);

        private AgentRestarter Restarter => new AgentRestarter(host);

        private AgentRestartResult Restart(int timeoutSeconds = 60)
        {
            AgentRestarter restarter = Restarter;
            AgentRestartPlan plan = restarter.FindAgent();
            restarter.EnsureElevated(plan);
            return restarter.Restart(plan, TimeSpan.FromSeconds(timeoutSeconds), CancellationToken.None);
        }

        [Fact]
        public void PrefersSecureClientWhenBothServicesAreInstalled()
        {
            host.Services["aciseagent"] = new FakeService(AgentStatuses.Running, 10);
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 11);

            AgentRestartPlan plan = Restarter.FindAgent();

            Assert.Equal("csc_iseagent", plan.Name);
            Assert.Equal(ClientFamilies.SecureClient5, plan.Family);
            Assert.Equal("Stop and start service csc_iseagent", plan.Method);
            Assert.False(plan.DropsVpnTunnel);
            Assert.DoesNotContain("VPN", plan.Description, StringComparison.Ordinal);
        }

        [Fact]
        public void FallsBackToAnyConnect()
        {
            host.Services["aciseagent"] = new FakeService(AgentStatuses.Running, 10);

            AgentRestartPlan plan = Restarter.FindAgent();

            Assert.Equal("aciseagent", plan.Name);
            Assert.Equal(ClientFamilies.AnyConnect4, plan.Family);
        }

        [Fact]
        public void NoServiceIsAgentNotFoundNamingBoth()
        {
            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restarter.FindAgent());

            Assert.Equal("AgentNotFound", failure.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, failure.Kind);
            Assert.Contains("csc_iseagent", failure.Message, StringComparison.Ordinal);
            Assert.Contains("aciseagent", failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void StopsWaitsStartsWaitsAndReportsBothProcesses()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { NextProcessId = 2000 };
            DateTime began = host.UtcNow;

            AgentRestartResult result = Restart();

            Assert.Equal(new[] { "stop csc_iseagent", "start csc_iseagent" }, host.ServiceActions);
            Assert.Equal("csc_iseagent", result.Name);
            Assert.Equal("Windows", result.Platform);
            Assert.Equal("Stop and start service csc_iseagent", result.Method);
            Assert.Equal(AgentStatuses.Running, result.StatusBefore);
            Assert.Equal(AgentStatuses.Running, result.StatusAfter);
            Assert.Equal(1000, result.ProcessIdBefore);
            Assert.Equal(2000, result.ProcessIdAfter);
            Assert.Equal(began.ToLocalTime(), result.RestartedAt);
            Assert.InRange(result.Duration, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.5)); // 2 s to stop + 3 s to start, polled
        }

        [Fact]
        public void TheWindowsServiceStrategyWorksAloneOnTheDeadlineItIsGiven()
        {
            host.Services["aciseagent"] = new FakeService(AgentStatuses.Running, 10) { NextProcessId = 20 };
            var strategy = new WindowsServiceRestart(host);
            AgentRestartPlan plan = strategy.FindAgent();

            AgentRestartResult result = strategy.Restart(plan, new RestartDeadline(host, plan, TimeSpan.FromSeconds(30)), CancellationToken.None);

            Assert.Equal(new[] { "stop aciseagent", "start aciseagent" }, host.ServiceActions);
            Assert.Equal(10, result.ProcessIdBefore);
            Assert.Equal(20, result.ProcessIdAfter);
        }

        [Fact]
        public void AStoppedServiceIsOnlyStarted()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Stopped, null);

            AgentRestartResult result = Restart();

            Assert.Equal(new[] { "start csc_iseagent" }, host.ServiceActions);
            Assert.Equal(AgentStatuses.Stopped, result.StatusBefore);
            Assert.Null(result.ProcessIdBefore);
            Assert.Equal(AgentStatuses.Running, result.StatusAfter);
        }

        [Fact]
        public void AServiceThatNeverStopsTimesOutWithTheLastStateAndIsNotStarted()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { StopTakes = TimeSpan.FromMinutes(10) };
            DateTime began = host.UtcNow;

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(timeoutSeconds: 20));

            Assert.Equal("AgentRestartTimeout", failure.ErrorId);
            Assert.Equal(FailureKind.OperationTimeout, failure.Kind);
            Assert.Equal(AgentStatuses.StopPending, failure.Data["LastState"]);
            Assert.Contains("Last state seen: StopPending", failure.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { "stop csc_iseagent" }, host.ServiceActions);
            Assert.Equal(TimeSpan.FromSeconds(20), host.UtcNow - began);
        }

        [Fact]
        public void AServiceThatNeverRunsAgainTimesOutWhileStarting()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { StartTakes = TimeSpan.FromMinutes(10) };

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(timeoutSeconds: 30));

            Assert.Equal("AgentRestartTimeout", failure.ErrorId);
            Assert.Equal(AgentStatuses.StartPending, failure.Data["LastState"]);
        }

        [Fact]
        public void AStartRefusedByTheServiceManagerIsAgentRestartFailedWithTheError()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { StartError = 1058 }; // disabled

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart());

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal(1058, failure.Data["ExitCode"]);
            Assert.Contains("starting service csc_iseagent failed with error 1058", failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AStopRefusedIsAgentRestartFailedAndNothingIsStarted()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { StopError = 1052 }; // control not valid

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart());

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal(new[] { "stop csc_iseagent" }, host.ServiceActions);
        }

        [Fact]
        public void NotElevatedFailsBeforeAnyServiceIsTouched()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000);
            host.Elevated = false;
            AgentRestarter restarter = Restarter;
            AgentRestartPlan plan = restarter.FindAgent();

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => restarter.EnsureElevated(plan));

            Assert.Equal("AgentRestartNeedsElevation", failure.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, failure.Kind);
            Assert.Contains("administrator", failure.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(host.ServiceActions);
        }

        [Fact]
        public void ACancelledRestartTouchesNothing()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { StopTakes = TimeSpan.FromMinutes(10) };
            AgentRestarter restarter = Restarter;
            AgentRestartPlan plan = restarter.FindAgent();
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();

            Assert.ThrowsAny<OperationCanceledException>(() => restarter.Restart(plan, TimeSpan.FromSeconds(60), cancelled.Token));
            Assert.Empty(host.ServiceActions);
        }

        [Fact]
        public void AServiceStillStartingIsStoppedOnceItHasStarted()
        {
            // The service manager refuses a stop while a start is pending (ERROR_SERVICE_CANNOT_ACCEPT_CTRL).
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Stopped, null) { NextProcessId = 1000 }.StartingSince(host.UtcNow);

            AgentRestartResult result = Restart();

            Assert.Equal(AgentStatuses.StartPending, result.StatusBefore);
            Assert.Equal(AgentStatuses.Running, result.StatusAfter);
            Assert.Equal("start csc_iseagent", host.ServiceActions.Last());
            Assert.Equal(1, host.ServiceActions.Count(a => a == "start csc_iseagent"));
            Assert.True(host.ServiceActions.Count(a => a == "stop csc_iseagent") >= 2, "the refused stop is asked again");
        }

        [Fact]
        public void AStartThatStaysPendingTimesOutBeforeTheStopWithThatState()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Stopped, null) { StartTakes = TimeSpan.FromMinutes(10) }.StartingSince(host.UtcNow);
            DateTime began = host.UtcNow;

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(timeoutSeconds: 15));

            Assert.Equal("AgentRestartTimeout", failure.ErrorId);
            Assert.Equal(AgentStatuses.StartPending, failure.Data["LastState"]);
            Assert.Contains("did not accept the stop request", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("start csc_iseagent", host.ServiceActions);
            Assert.Equal(TimeSpan.FromSeconds(15), host.UtcNow - began);
        }

        [Fact]
        public void ADisabledServiceIsRefusedBeforeItIsStopped()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { Disabled = true };

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart());

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal("csc_iseagent", failure.Target);
            Assert.Equal(1058, failure.Data["ExitCode"]);
            Assert.Contains("disabled", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Set-Service csc_iseagent -StartupType", failure.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(host.ServiceActions);
        }

        [Fact]
        public void AServiceThatStopsAgainWhileStartingFailsAtOnceWithItsExitCode()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { StartExitCode = 3 };
            DateTime began = host.UtcNow;

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(timeoutSeconds: 60));

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal(3, failure.Data["ExitCode"]);
            Assert.Contains("stopped again while starting, with exit code 3", failure.Message, StringComparison.Ordinal);
            Assert.InRange(host.UtcNow - began, TimeSpan.Zero, TimeSpan.FromSeconds(10)); // not the whole minute
        }

        [Fact]
        public void RunningDependentServicesAreNamedAsTheReasonTheStopWasRefused()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000) { StopError = 1051 };

            PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart());

            Assert.Equal("AgentRestartFailed", failure.ErrorId);
            Assert.Equal(1051, failure.Data["ExitCode"]);
            Assert.Contains("Get-Service csc_iseagent -DependentServices", failure.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(new[] { "stop csc_iseagent" }, host.ServiceActions);
        }

        [Fact]
        public void AStopRequestHeldByTheServiceManagerEndsAtTheTimeout()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Running, 1000);
            using var release = new ManualResetEventSlim();
            host.DuringServiceRequest = _ => release.Wait(TimeSpan.FromSeconds(10));
            var clock = Stopwatch.StartNew();
            try
            {
                PostureSyncException failure = Assert.Throws<PostureSyncException>(() => Restart(timeoutSeconds: 1));

                Assert.Equal("AgentRestartTimeout", failure.ErrorId);
                Assert.Equal(AgentStatuses.Running, failure.Data["LastState"]);
                Assert.Contains("did not answer the stop request", failure.Message, StringComparison.Ordinal);
                // Not before the 1 s timeout, and far from the 10 s the stuck request would hold.
                Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
            }
            finally
            {
                release.Set();
            }
        }

        [Fact]
        public void CancellingWhileTheServiceManagerHoldsAStartEndsWithinASecond()
        {
            host.Services["csc_iseagent"] = new FakeService(AgentStatuses.Stopped, null);
            using var release = new ManualResetEventSlim();
            host.DuringServiceRequest = _ => release.Wait(TimeSpan.FromSeconds(10));
            AgentRestarter restarter = Restarter;
            AgentRestartPlan plan = restarter.FindAgent();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var clock = Stopwatch.StartNew();
            try
            {
                Assert.ThrowsAny<OperationCanceledException>(() => restarter.Restart(plan, TimeSpan.FromSeconds(60), cancel.Token));
                // Far below the 10 s the stuck request holds and the 60 s timeout, with room for a busy machine.
                Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
            }
            finally
            {
                release.Set();
            }
        }
    }
}
