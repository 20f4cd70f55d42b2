using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace PostureSync.Core.Agent
{
    /// <summary>
    /// The Windows service manager and the administrator check through advapi32, so the module needs no
    /// System.ServiceProcess or System.Security.Principal.Windows assembly (neither is part of netstandard2.0).
    /// </summary>
    internal static class WindowsNative
    {
        private const uint ScManagerConnect = 0x0001;
        private const uint ServiceQueryConfig = 0x0001;
        private const uint ServiceQueryStatus = 0x0004;
        private const uint ServiceStart = 0x0010;
        private const uint ServiceStop = 0x0020;
        private const uint ServiceControlStop = 0x00000001;
        private const int ScStatusProcessInfo = 0;
        private const int ErrorServiceDoesNotExist = 1060;
        private const int ErrorServiceSpecificError = 1066;
        private const int ServiceDisabled = 0x00000004;
        private const int StartTypeOffset = 4; // QUERY_SERVICE_CONFIGW: DWORD dwServiceType, DWORD dwStartType, ...
        private const int WinBuiltinAdministratorsSid = 26;
        private const int SecurityMaxSidSize = 68;

        /// <summary>Whether this thread's token holds the Administrators group enabled (so not a UAC-filtered token).</summary>
        internal static bool IsAdministrator()
        {
            byte[] sid = new byte[SecurityMaxSidSize];
            uint size = (uint)sid.Length;
            if (!NativeMethods.CreateWellKnownSid(WinBuiltinAdministratorsSid, IntPtr.Zero, sid, ref size))
            {
                throw new Win32Exception(Marshal.GetLastWin32Error());
            }

            if (!NativeMethods.CheckTokenMembership(IntPtr.Zero, sid, out bool member))
            {
                throw new Win32Exception(Marshal.GetLastWin32Error());
            }

            return member;
        }

        internal static ServiceSnapshot? QueryService(string name)
        {
            using ServiceHandle? service = Open(name, ServiceQueryStatus, out int error);
            if (service is null)
            {
                return error == ErrorServiceDoesNotExist ? null : new ServiceSnapshot(AgentStatuses.Unknown, null);
            }

            if (!NativeMethods.QueryServiceStatusEx(service.Handle, ScStatusProcessInfo, out ServiceStatusProcess status, Marshal.SizeOf<ServiceStatusProcess>(), out _))
            {
                return new ServiceSnapshot(AgentStatuses.Unknown, null);
            }

            string state = status.CurrentState switch
            {
                1 => AgentStatuses.Stopped,
                2 => AgentStatuses.StartPending,
                3 => AgentStatuses.StopPending,
                4 => AgentStatuses.Running,
                5 => AgentStatuses.StartPending, // continue pending
                6 or 7 => AgentStatuses.Paused,
                _ => AgentStatuses.Unknown,
            };
            int exitCode = status.Win32ExitCode == ErrorServiceSpecificError ? (int)status.ServiceSpecificExitCode : (int)status.Win32ExitCode;
            return new ServiceSnapshot(state, status.ProcessId == 0 ? null : (int)status.ProcessId, exitCode);
        }

        /// <summary>Whether the service's start type is Disabled; false when that cannot be read (the start then says why).</summary>
        internal static bool IsDisabled(string name)
        {
            using ServiceHandle? service = Open(name, ServiceQueryConfig, out _);
            if (service is null)
            {
                return false;
            }

            // The first call only asks for the size: the configuration carries its strings after the fixed part.
            NativeMethods.QueryServiceConfigW(service.Handle, IntPtr.Zero, 0, out int needed);
            if (needed <= 0)
            {
                return false;
            }

            IntPtr buffer = Marshal.AllocHGlobal(needed);
            try
            {
                return NativeMethods.QueryServiceConfigW(service.Handle, buffer, needed, out _)
                    && Marshal.ReadInt32(buffer, StartTypeOffset) == ServiceDisabled;
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        internal static ToolResult StopService(string name)
        {
            using ServiceHandle? service = Open(name, ServiceStop, out int error);
            if (service is null)
            {
                return Win32Failure(error);
            }

            return NativeMethods.ControlService(service.Handle, ServiceControlStop, out _) ? new ToolResult(0, string.Empty) : Win32Failure(Marshal.GetLastWin32Error());
        }

        internal static ToolResult StartService(string name)
        {
            using ServiceHandle? service = Open(name, ServiceStart, out int error);
            if (service is null)
            {
                return Win32Failure(error);
            }

            return NativeMethods.StartServiceW(service.Handle, 0, IntPtr.Zero) ? new ToolResult(0, string.Empty) : Win32Failure(Marshal.GetLastWin32Error());
        }

        private static ToolResult Win32Failure(int error) => new ToolResult(error, new Win32Exception(error).Message);

        private static ServiceHandle? Open(string name, uint access, out int error)
        {
            IntPtr manager = NativeMethods.OpenSCManagerW(null, null, ScManagerConnect);
            if (manager == IntPtr.Zero)
            {
                error = Marshal.GetLastWin32Error();
                return null;
            }

            IntPtr service = NativeMethods.OpenServiceW(manager, name, access);
            error = service == IntPtr.Zero ? Marshal.GetLastWin32Error() : 0;
            NativeMethods.CloseServiceHandle(manager);
            return service == IntPtr.Zero ? null : new ServiceHandle(service);
        }

        private sealed class ServiceHandle : IDisposable
        {
            internal ServiceHandle(IntPtr handle)
            {
                Handle = handle;
            }

            internal IntPtr Handle { get; }

            public void Dispose() => NativeMethods.CloseServiceHandle(Handle);
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct ServiceStatusProcess
        {
            public uint ServiceType;
            public uint CurrentState;
            public uint ControlsAccepted;
            public uint Win32ExitCode;
            public uint ServiceSpecificExitCode;
            public uint CheckPoint;
            public uint WaitHint;
            public uint ProcessId;
            public uint ServiceFlags;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct ServiceStatus
        {
            public uint ServiceType;
            public uint CurrentState;
            public uint ControlsAccepted;
            public uint Win32ExitCode;
            public uint ServiceSpecificExitCode;
            public uint CheckPoint;
            public uint WaitHint;
        }

        private static class NativeMethods
        {
            [DllImport("advapi32.dll", SetLastError = true, CharSet = CharSet.Unicode, ExactSpelling = true)]
            internal static extern IntPtr OpenSCManagerW(string? machineName, string? databaseName, uint desiredAccess);

            [DllImport("advapi32.dll", SetLastError = true, CharSet = CharSet.Unicode, ExactSpelling = true)]
            internal static extern IntPtr OpenServiceW(IntPtr manager, string serviceName, uint desiredAccess);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool QueryServiceStatusEx(IntPtr service, int infoLevel, out ServiceStatusProcess buffer, int bufferSize, out int bytesNeeded);

            [DllImport("advapi32.dll", SetLastError = true, CharSet = CharSet.Unicode, ExactSpelling = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool QueryServiceConfigW(IntPtr service, IntPtr buffer, int bufferSize, out int bytesNeeded);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool ControlService(IntPtr service, uint control, out ServiceStatus status);

            [DllImport("advapi32.dll", SetLastError = true, CharSet = CharSet.Unicode, ExactSpelling = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool StartServiceW(IntPtr service, int argumentCount, IntPtr arguments);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool CloseServiceHandle(IntPtr handle);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool CreateWellKnownSid(int sidType, IntPtr domainSid, byte[] sid, ref uint sidSize);

            [DllImport("advapi32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool CheckTokenMembership(IntPtr token, byte[] sid, [MarshalAs(UnmanagedType.Bool)] out bool isMember);
        }
    }
}
