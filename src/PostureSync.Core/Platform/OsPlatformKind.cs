using System.Runtime.InteropServices;

namespace PostureSync.Core.Platform
{
    internal enum OsPlatformKind
    {
        Windows,
        MacOS,
        Linux,
    }

    internal static class OsPlatformDetector
    {
        public static OsPlatformKind Current =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OsPlatformKind.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OsPlatformKind.MacOS
            : OsPlatformKind.Linux;
    }
}
