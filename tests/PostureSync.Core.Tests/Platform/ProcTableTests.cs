using System;
using System.IO;
using PostureSync.Core.Agent;
using PostureSync.Core.Platform;
using Xunit;

namespace PostureSync.Core.Tests.Platform
{
    /// <summary>The process table read from a /proc folder under a test-made system root.</summary>
    public sealed class ProcTableTests : IDisposable
    {
        private readonly string root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "posturesync-proc-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() => Directory.Delete(root, recursive: true);

        private void Process(string pid, string comm, long? startTicks)
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, "proc", pid)).FullName;
            File.WriteAllText(Path.Combine(folder, "comm"), comm + "\n");
            if (startTicks is not null)
            {
                File.WriteAllText(Path.Combine(folder, "stat"), $"{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 4 0 {startTicks} 1 1 1\n");
            }
        }

        [Fact]
        public void TheNewestProcessOfANameIsTheLastStartedNotTheHighestId()
        {
            Process("4100", "vpnagentd", 9000);
            Process("900", "vpnagentd", 12000);
            Process("77", "vpnagentd-helper", 50000);
            Process("self", "vpnagentd", 60000);

            ProcEntry? newest = ProcTable.Newest(ProcTable.Under(root), "vpnagentd");

            Assert.NotNull(newest);
            Assert.Equal(900, newest!.ProcessId);
            Assert.Equal(12000, newest.StartTicks);
        }

        [Fact]
        public void AProcessWhoseStartCannotBeReadIsStillFound()
        {
            Process("1300", "vpnagentd", null);

            ProcEntry entry = Assert.Single(ProcTable.Find(ProcTable.Under(root), "vpnagentd"));

            Assert.Equal(1300, entry.ProcessId);
            Assert.Null(entry.StartTicks);
        }

        [Fact]
        public void NoProcFolderIsNoProcess()
        {
            Assert.Null(ProcTable.Newest(ProcTable.Under(Path.Combine(root, "missing")), "vpnagentd"));
        }

        [Fact]
        public void TheRealLinuxHostFindsTheVpnAgentUnderItsSystemRoot()
        {
            Process("2201", "vpnagentd", 500);
            var host = new SystemAgentHost(OsPlatformKind.Linux, new AgentLocations(OsPlatformKind.Linux, root));

            Assert.Equal(2201, host.FindProcess("vpnagentd"));
            Assert.Null(host.FindProcess("csc_iseagentd"));
        }
    }
}
