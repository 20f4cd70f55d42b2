using System;
using System.Management.Automation;
using System.Threading.Tasks;
using PostureSync.Core;
using PostureSync.Core.Ise;
using PostureSync.Core.Json;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>Checks an ISE credential with one cheap read and keeps the connection as this session's default.</summary>
    [Cmdlet(VerbsCommunications.Connect, "IseServer")]
    [OutputType(typeof(IseConnection))]
    public sealed class ConnectIseServerCommand : IseCmdlet
    {
        /// <summary>host, host:port or https://host:port; 443 (the API gateway, ISE 3.1+) unless a port is given.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = PSCredential.Empty;

        protected override string? ServerName => Server;

        protected override PSCredential? ServerCredential => Credential;

        protected override void EndProcessing()
        {
            IseConnection connection = NewConnection();
            IseReader reader = NewReader(connection);
            RunOrThrow(async () =>
            {
                // One small ERS read proves address, TLS, credential and that ERS answers (ERS Operator may read it).
                JsonTree page = IseReader.Json(await reader.GetAsync("/ers/config/downloadableacl?size=1&page=1", IseApi.Ers).ConfigureAwait(false));
                if (page["SearchResult"] is null)
                {
                    throw IseErrors.Invalid("/ers/config/downloadableacl", "it has no SearchResult");
                }

                connection.Version = await ReadVersionAsync(reader).ConfigureAwait(false);
                return true;
            });
            connection.ConnectedAt = DateTime.Now;
            SetDefault(connection);
            WriteObject(connection);
        }

        /// <summary>MnT's Version resource; only an MnT-capable account and node answer it, so its absence is no failure.</summary>
        private static async Task<string?> ReadVersionAsync(IseReader reader)
        {
            try
            {
                IseResponse response = await reader.GetAsync("/admin/API/mnt/Version", IseApi.Mnt).ConfigureAwait(false);
                if (response.Status == 200 && MntSessionReader.ReadFlat(response).TryGetValue("version", out string? version) && version.Length > 0)
                {
                    return IseReader.Clip(version, 40);
                }
            }
            catch (PostureSyncException ex)
            {
                reader.Log?.Invoke("ISE version not read: " + ex.Message);
            }

            return null;
        }
    }
}
