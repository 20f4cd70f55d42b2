using System;

namespace PostureSync
{
    /// <summary>A deployment node that runs the Session service (a PSN), with every interface address ISE reports.</summary>
    public sealed class IsePsn
    {
        public string Name { get; set; } = string.Empty;

        public string? Fqdn { get; set; }

        /// <summary>IPv4 and IPv6 addresses of every interface, management address first.</summary>
        public string[] IPAddress { get; set; } = Array.Empty<string>();

        public string[] Services { get; set; } = Array.Empty<string>();

        public string[] Roles { get; set; } = Array.Empty<string>();

        public string? NodeStatus { get; set; }

        /// <summary>Which API the node came from: OpenApi (deployment node) or Ers (sessionservicenode fallback).</summary>
        public string Source { get; set; } = string.Empty;
    }
}
