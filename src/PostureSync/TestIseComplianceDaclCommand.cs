using System.Collections.Generic;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Acl;
using PostureSync.Core.Ise;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>
    /// Audits, straight from ISE, every dACL that the authorization rules give Compliant sessions, against every
    /// PSN address: the tech note's first deny lines, proven for the whole deployment.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "IseComplianceDacl")]
    [OutputType(typeof(IseDaclAudit))]
    public sealed class TestIseComplianceDaclCommand : IseQueryCmdlet
    {
        /// <summary>Policy sets to walk (wildcards); all when absent.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? PolicySet { get; set; }

        /// <summary>Check these dACLs without reading policy (for accounts that cannot read it).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? DaclName { get; set; }

        [Parameter]
        [ValidateRange(PostureSyncRule.MinPort, PostureSyncRule.MaxPort)]
        public int Port { get; set; } = PostureSyncRule.SyncPort;

        protected override void EndProcessing()
        {
            IseReader reader = NewReader(ResolveConnection());
            var audit = new IseComplianceAudit(reader, new IseAuditRequest { PolicySetPatterns = PolicySet, DaclNames = DaclName, Port = Port });
            List<IseDaclAudit> rows = RunOrThrow(audit.RunAsync);
            WriteVerbose(reader.Client.RequestCount + " requests to ISE so far on this connection.");
            foreach (IseDaclAudit row in rows)
            {
                WriteObject(row);
            }
        }
    }
}
