using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using PostureSync.Core.Agent;
using PostureSync.Core.Platform;
using Xunit;

namespace PostureSync.Core.Tests.Agent
{
    /// <summary>The real host against real processes; the Unix tools used here (sh, id) exist on every macOS and Linux.</summary>
    public sealed class SystemAgentHostTests
    {
        private readonly SystemAgentHost host = SystemAgentHost.ForCurrentSystem();

        [Theory]
        [InlineData(new[] { "restart", "vpnagentd" }, "restart vpnagentd")]
        [InlineData(new[] { "a b", "" }, "\"a b\" \"\"")]
        [InlineData(new[] { "say \"hi\"", @"C:\dir\" }, @"""say \""hi\"""" C:\dir\")]
        [InlineData(new[] { @"tail\", "x y\\" }, @"tail\ ""x y\\""")]
        public void QuotesArgumentsTheWayTheyAreSplitAgain(string[] arguments, string line)
        {
            Assert.Equal(line, SystemAgentHost.JoinArguments(arguments));
        }

        [Fact]
        public void RunsAToolAndCapturesExitCodeAndBothStreams()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            ToolResult result = host.RunTool(host.FindOnPath("sh")!, new[] { "-c", "echo out; echo err >&2; exit 5" }, TimeSpan.FromSeconds(20), CancellationToken.None);

            Assert.Equal(5, result.ExitCode);
            Assert.False(result.TimedOut);
            Assert.Contains("out", result.Output, StringComparison.Ordinal);
            Assert.Contains("err", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void KillsAToolThatOutlivesItsTimeout()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            ToolResult result = host.RunTool(host.FindOnPath("sh")!, new[] { "-c", "exec sleep 30" }, TimeSpan.FromMilliseconds(300), CancellationToken.None);

            Assert.True(result.TimedOut);
            Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
        }

        [Fact]
        public void CancellationKillsARunningTool()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();

            Assert.ThrowsAny<OperationCanceledException>(() => host.RunTool(host.FindOnPath("sh")!, new[] { "-c", "exec sleep 30" }, TimeSpan.FromSeconds(60), cancel.Token));
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }

        [Fact]
        public void FindsToolsOnPathOnly()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            Assert.True(File.Exists(host.FindOnPath("sh")));
            Assert.Null(host.FindOnPath("no-such-tool-" + Guid.NewGuid().ToString("N")));
        }

        [Fact]
        public void ElevationIsTheEffectiveUserIdZero()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            ToolResult id = host.RunTool(host.FindOnPath("id")!, new[] { "-u" }, TimeSpan.FromSeconds(20), CancellationToken.None);

            Assert.Equal(id.Output.Trim() == "0", host.IsElevated());
        }

        [Fact]
        public void KnowsNoWindowsServicesElsewhere()
        {
            if (host.Os == OsPlatformKind.Windows)
            {
                return;
            }

            Assert.Null(host.QueryService("csc_iseagent"));
            Assert.Throws<PlatformNotSupportedException>(() => host.StopService("csc_iseagent"));
        }
    }
}
