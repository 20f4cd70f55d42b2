using System.Runtime.InteropServices;

namespace PostureSync.Core.Platform
{
    public enum OsPlatformKind
    {
        Windows,
        MacOS,
        Linux,
    }

    public static class OsPlatformDetector
    {
        public static OsPlatformKind Current =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OsPlatformKind.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OsPlatformKind.MacOS
            : OsPlatformKind.Linux;
    }
}
