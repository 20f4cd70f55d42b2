using System;
using System.IO;
using PostureSync.Core.AgentLog;
using PostureSync.Core.Platform;

namespace PostureSync.Core.Tests.AgentLog
{
    /// <summary>
    /// A scratch folder of stub tools (shell scripts that print recorded output and note their arguments), searched
    /// PATH's way by a <see cref="LogTool"/>; and a system root for syslog files and /proc.
    /// </summary>
    internal sealed class StubTools : IDisposable
    {
        public StubTools()
        {
            Folder = Path.Combine(Path.GetTempPath(), "posturesync-live-" + Guid.NewGuid().ToString("N"));
            Bin = Directory.CreateDirectory(Path.Combine(Folder, "bin")).FullName;
            Root = Directory.CreateDirectory(Path.Combine(Folder, "root")).FullName;
        }

        public string Folder { get; }

        public string Bin { get; }

        public string Root { get; }

        public string ArgumentsFile => Path.Combine(Folder, "arguments.txt");

        /// <summary>Stub scripts run only where /bin/sh does (the suite runs on Linux; Windows runs the fakes only).</summary>
        public static bool CanRun => !OperatingSystem.IsWindows();

        public LogTool Tools(OsPlatformKind os) => new LogTool(os, Bin);

        public AgentLocations Locations(OsPlatformKind os) => new AgentLocations(os, Root);

        /// <summary>A stub that notes each argument on a line, prints the output file, writes stderr, and exits.</summary>
        public void Stub(string name, string stdout, string stderr = "", int exitCode = 0, string before = "")
        {
            string output = Path.Combine(Folder, name + ".out");
            string errors = Path.Combine(Folder, name + ".err");
            File.WriteAllText(output, stdout);
            File.WriteAllText(errors, stderr);
            string script = "#!/bin/sh\n"
                + $"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{ArgumentsFile}'\n"
                + before + "\n"
                + $"cat '{output}'\ncat '{errors}' >&2\nexit {exitCode}\n";
            string path = Path.Combine(Bin, name);
            File.WriteAllText(path, script);
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        public string[] Arguments() => File.Exists(ArgumentsFile) ? File.ReadAllLines(ArgumentsFile) : Array.Empty<string>();

        public string WriteUnderRoot(string relative, string text)
        {
            string path = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Folder, true);
            }
            catch (IOException)
            {
                // a stub still ending may hold a file for a moment; the temp folder is cleaned eventually
            }
        }
    }
}
