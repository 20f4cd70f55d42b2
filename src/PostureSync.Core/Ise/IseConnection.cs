using System;
using PostureSync.Core.Ise;

namespace PostureSync
{
    /// <summary>
    /// A checked connection to one ISE node. Flat for PowerShell; the credential lives only inside the internal
    /// client, so neither the formatter, Export-Clixml nor remoting ever sees the password.
    /// </summary>
    public sealed class IseConnection
    {
        internal IseConnection(IseRestClient client)
        {
            Client = client;
            Server = client.Options.Host;
            Port = client.Options.Port;
            UserName = client.Options.Credential.UserName;
            SkipCertificateCheck = client.Options.SkipCertificateCheck;
            CertificateThumbprint = client.Options.CertificateThumbprint;
        }

        public string Server { get; }

        public int Port { get; }

        public string UserName { get; }

        /// <summary>The ISE version from MnT's Version resource, when the account may read it.</summary>
        public string? Version { get; internal set; }

        public DateTime ConnectedAt { get; internal set; }

        public bool SkipCertificateCheck { get; }

        /// <summary>The pinned certificate thumbprint, if any.</summary>
        public string? CertificateThumbprint { get; }

        internal IseRestClient Client { get; }

        public override string ToString() => UserName + "@" + Client.Options.Server;
    }
}
