using System;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// The fixed vocabulary of <see cref="DartSyncEvent.EventType"/>, read from the logging function (DOMAIN.md §5):
    /// <list type="table">
    /// <item><term>PostureStatus</term><description>sendUIStatus: the posture result shown to the user</description></item>
    /// <item><term>SyncProbeControl</term><description>PeriodicProbe::ProcessMessage (bare ProcessMessage in PeriodicProbe.cpp): probing started or stopped</description></item>
    /// <item><term>SyncProbe</term><description>sessionSyncProbe at any severity but Error</description></item>
    /// <item><term>SyncProbeError</term><description>sessionSyncProbe at severity Error or level error: misconfiguration seen, sync off until the agent restarts</description></item>
    /// <item><term>HttpRequest</term><description>MakeRequest</description></item>
    /// <item><term>HttpHeaders</term><description>dump_http_headers</description></item>
    /// <item><term>DiscoveryRestart</term><description>restartDiscovery</description></item>
    /// <item><term>Discovery</term><description>collectNoMntTargets, and any other SwiftHttpRunner function (bare names: logged from SwiftHttpRunner.cpp)</description></item>
    /// <item><term>Transport</term><description>hs_transport_*</description></item>
    /// <item><term>ConfigLoaded</term><description>loadXMLCfgFile</description></item>
    /// <item><term>Other</term><description>everything else (only when asked for)</description></item>
    /// </list>
    /// </summary>
    internal static class DartSyncEventTypes
    {
        public const string PostureStatus = "PostureStatus";
        public const string SyncProbeControl = "SyncProbeControl";
        public const string SyncProbe = "SyncProbe";
        public const string SyncProbeError = "SyncProbeError";
        public const string HttpRequest = "HttpRequest";
        public const string HttpHeaders = "HttpHeaders";
        public const string DiscoveryRestart = "DiscoveryRestart";
        public const string Discovery = "Discovery";
        public const string Transport = "Transport";
        public const string ConfigLoaded = "ConfigLoaded";
        public const string Other = "Other";

        // Index order is the parser's internal type code; Other must stay last.
        private static readonly string[] Vocabulary =
        {
            PostureStatus, SyncProbeControl, SyncProbe, SyncProbeError, HttpRequest, HttpHeaders, DiscoveryRestart,
            Discovery, Transport, ConfigLoaded, Other,
        };

        internal const int OtherCode = 10;

        internal static int Count => Vocabulary.Length;

        /// <summary>Every event type, in story order, Other last (a fresh copy: callers may keep or change it).</summary>
        public static string[] Names => (string[])Vocabulary.Clone();

        internal static int CodeOf(string? name)
        {
            if (name is null)
            {
                return -1;
            }

            string trimmed = name.Trim();
            for (int i = 0; i < Vocabulary.Length; i++)
            {
                if (string.Equals(Vocabulary[i], trimmed, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        internal static string NameOf(int code) => Vocabulary[code];
    }
}
