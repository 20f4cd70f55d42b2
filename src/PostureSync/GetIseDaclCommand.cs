using System.Collections.Generic;
using System.Management.Automation;
using PostureSync.Core.Ise;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>Downloadable ACLs with their text: the list, then each by id, a few at a time.</summary>
    [Cmdlet(VerbsCommon.Get, "IseDacl")]
    [OutputType(typeof(IseDacl))]
    public sealed class GetIseDaclCommand : IseQueryCmdlet
    {
        /// <summary>Names to keep; wildcards allowed; matched here, since the ERS dACL filter is not there on 3.1.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void EndProcessing()
        {
            IseReader reader = NewReader(ResolveConnection());
            List<IseDacl> dacls = RunOrThrow(() => IseInventory.GetDaclsAsync(reader, Name));
            foreach (IseDacl dacl in dacls)
            {
                WriteObject(dacl);
            }
        }
    }
}
