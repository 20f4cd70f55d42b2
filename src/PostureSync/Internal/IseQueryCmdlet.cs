using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Ise;

namespace PostureSync.Internal
{
    /// <summary>
    /// The ISE cmdlets that read: -Connection (by property name from the pipeline), or -Server and -Credential
    /// directly, or the session's default from Connect-IseServer.
    /// </summary>
    public abstract class IseQueryCmdlet : IseCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public IseConnection? Connection { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Server { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        protected override string? ServerName => Server;

        protected override PSCredential? ServerCredential => Credential;

        /// <summary>-Connection, else a client made from -Server/-Credential, else the session's default.</summary>
        internal IseConnection ResolveConnection()
        {
            if (Connection != null && Server != null)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.IseConnectionAmbiguous, FailureKind.InvalidArgument, "Give either -Connection or -Server, not both.", Server)
                {
                    RecommendedAction = "Drop -Server, or drop -Connection.",
                });
            }

            IseConnection? connection = Server != null ? NewConnection() : Connection ?? DefaultConnection();
            if (connection is null)
            {
                ThrowFailure(new PostureSyncException(ErrorIds.IseNotConnected, FailureKind.InvalidArgument, "No ISE connection: this session has not run Connect-IseServer.", null)
                {
                    RecommendedAction = "Run Connect-IseServer -Server <pan> -Credential (Get-Credential), or give -Server and -Credential.",
                });
            }

            return connection!;
        }
    }
}
