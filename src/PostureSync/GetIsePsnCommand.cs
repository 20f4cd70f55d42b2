using System.Collections.Generic;
using System.Management.Automation;
using PostureSync.Core.Ise;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>The deployment's nodes that run the Session service, with every interface address.</summary>
    [Cmdlet(VerbsCommon.Get, "IsePsn")]
    [OutputType(typeof(IsePsn))]
    public sealed class GetIsePsnCommand : IseQueryCmdlet
    {
        protected override void EndProcessing()
        {
            IseReader reader = NewReader(ResolveConnection());
            List<IsePsn> psns = RunOrThrow(() => IseInventory.GetPsnsAsync(reader));
            foreach (IsePsn psn in psns)
            {
                WriteObject(psn);
            }
        }
    }
}
