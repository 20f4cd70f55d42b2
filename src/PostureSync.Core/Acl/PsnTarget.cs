using System;
using System.Net;

namespace PostureSync.Core.Acl
{
    /// <summary>A PSN to check: the name the user gave and one address it resolved to.</summary>
    public sealed class PsnTarget
    {
        public PsnTarget(string name, IPAddress address)
        {
            Name = name;
            Address = address;
        }

        public string Name { get; }

        public IPAddress Address { get; }

        /// <summary>The name, with the address when they differ: <c>psn1 (10.1.1.1)</c>.</summary>
        public string DisplayName => string.Equals(Name, Address.ToString(), StringComparison.OrdinalIgnoreCase) ? Name : Name + " (" + Address + ")";
    }
}
