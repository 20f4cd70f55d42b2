using System;
using System.Collections.Generic;
using System.IO;

namespace PostureSync.Core.Platform
{
    /// <summary>The Secure Client generation a file or install belongs to.</summary>
    internal static class ClientFamilies
    {
        public const string SecureClient5 = "SecureClient5";
        public const string AnyConnect4 = "AnyConnect4";
        public const string Unknown = "Unknown";

        /// <summary>Tells the client generation from a path (DOMAIN.md §4); bundles and copies give Unknown.</summary>
        public static string FromPath(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return Unknown;
            }

            string p = path!.Replace('\\', '/');
            if (p.IndexOf("secureclient", StringComparison.OrdinalIgnoreCase) >= 0
                || p.IndexOf("Cisco Secure Client", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return SecureClient5;
            }

            return p.IndexOf("anyconnect", StringComparison.OrdinalIgnoreCase) >= 0 ? AnyConnect4 : Unknown;
        }
    }

    /// <summary>A place where one client generation keeps something.</summary>
    internal sealed class AgentPlace
    {
        public AgentPlace(string family, string path)
        {
            Family = family;
            Path = path;
        }

        public string Family { get; }

        public string Path { get; }
    }

    /// <summary>
    /// Where the posture agent keeps its files on this OS (DOMAIN.md §4), for both Secure Client 5 and AnyConnect 4,
    /// since upgrades leave both behind. Every path hangs off one root so tests, and admins inspecting a mounted disk
    /// image, can point the module elsewhere with the POSTURESYNC_SYSTEM_ROOT environment variable.
    /// </summary>
    internal sealed class AgentLocations
    {
        public const string RootVariable = "POSTURESYNC_SYSTEM_ROOT";

        public AgentLocations(OsPlatformKind os, string root)
        {
            Os = os;
            Root = root;
        }

        public OsPlatformKind Os { get; }

        /// <summary>%ProgramData% on Windows, / elsewhere, unless overridden.</summary>
        public string Root { get; }

        public static AgentLocations ForCurrentSystem()
        {
            OsPlatformKind os = OsPlatformDetector.Current;
            string? overridden = Environment.GetEnvironmentVariable(RootVariable);
            if (!string.IsNullOrEmpty(overridden))
            {
                return new AgentLocations(os, overridden!);
            }

            string root = os == OsPlatformKind.Windows
                ? Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData)
                : "/";
            return new AgentLocations(os, root);
        }

        /// <summary>The folders that hold ISEPostureCFG.xml, newest client first.</summary>
        public IReadOnlyList<AgentPlace> ProfileDirectories => Os == OsPlatformKind.Windows
            ? new[]
            {
                new AgentPlace(ClientFamilies.SecureClient5, Combine("Cisco", "Cisco Secure Client", "ISE Posture")),
                new AgentPlace(ClientFamilies.AnyConnect4, Combine("Cisco", "Cisco AnyConnect Secure Mobility Client", "ISE Posture")),
            }
            : new[]
            {
                new AgentPlace(ClientFamilies.SecureClient5, Combine("opt", "cisco", "secureclient", "iseposture")),
                new AgentPlace(ClientFamilies.AnyConnect4, Combine("opt", "cisco", "anyconnect", "iseposture")),
            };

        /// <summary>The posture agent's executable on macOS and Linux; its presence means the agent is installed.</summary>
        public IReadOnlyList<AgentPlace> AgentDaemons => Os == OsPlatformKind.Windows
            ? Array.Empty<AgentPlace>()
            : new[]
            {
                new AgentPlace(ClientFamilies.SecureClient5, Combine("opt", "cisco", "secureclient", "bin", "csc_iseagentd")),
                new AgentPlace(ClientFamilies.AnyConnect4, Combine("opt", "cisco", "anyconnect", "bin", "aciseagentd")),
            };

        /// <summary>Linux's syslog files, read for the agent's lines when there is no journal (Debian/Ubuntu, then RHEL).</summary>
        public IReadOnlyList<string> SyslogFiles => new[] { Combine("var", "log", "syslog"), Combine("var", "log", "messages") };

        private string Combine(params string[] parts)
        {
            string path = Root;
            foreach (string part in parts)
            {
                path = System.IO.Path.Combine(path, part);
            }

            return path;
        }
    }
}
