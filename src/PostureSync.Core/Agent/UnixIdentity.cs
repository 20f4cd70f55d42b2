using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace PostureSync.Core.Agent
{
    /// <summary>Who this process runs as on macOS and Linux.</summary>
    internal static class UnixIdentity
    {
        /// <summary>The effective uid from /proc/self/status ("Uid: real effective saved fs"); no libc name to guess.</summary>
        internal static uint LinuxEffectiveUserId()
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    string[] ids = line.Substring(4).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    return uint.Parse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidDataException("/proc/self/status has no Uid line.");
        }

        /// <summary>geteuid(2); "libc" resolves to /usr/lib/libc.dylib on macOS.</summary>
        internal static uint EffectiveUserId() => NativeMethods.geteuid();

        private static class NativeMethods
        {
            [DllImport("libc", SetLastError = false)]
            internal static extern uint geteuid();
        }
    }
}
