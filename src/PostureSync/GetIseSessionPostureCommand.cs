using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using PostureSync.Core;
using PostureSync.Core.Ise;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>What ISE's monitoring node holds as an endpoint session's posture, by MAC address.</summary>
    [Cmdlet(VerbsCommon.Get, "IseSessionPosture")]
    [OutputType(typeof(IseSession))]
    public sealed class GetIseSessionPostureCommand : IseQueryCmdlet
    {
        private readonly List<string> macs = new List<string>();

        /// <summary>Any common notation: aa-bb-cc-00-11-22, aabb.cc00.1122, AA:BB:CC:00:11:22.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Mac", "CallingStationId")]
        [ValidateNotNullOrEmpty]
        public string[] MacAddress { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string text in MacAddress)
            {
                string? mac = MntSessionReader.NormalizeMac(text);
                if (mac is null)
                {
                    WriteFailure(new PostureSyncException(ErrorIds.IseMacAddressInvalid, FailureKind.InvalidArgument, $"'{text}' is not a MAC address.", text)
                    {
                        RecommendedAction = "Give 12 hex digits, e.g. 00:14:22:01:23:45, 00-14-22-01-23-45 or 0014.2201.2345.",
                    });
                }
                else if (!macs.Contains(mac))
                {
                    macs.Add(mac);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (macs.Count == 0)
            {
                return;
            }

            IseReader reader = NewReader(ResolveConnection());
            (string Mac, IseSession? Session, PostureSyncException? Missing)[] answers = RunOrThrow(() => Task.WhenAll(macs.Select(async mac =>
            {
                try
                {
                    return (mac, (IseSession?)await MntSessionReader.GetAsync(reader, mac).ConfigureAwait(false), (PostureSyncException?)null);
                }
                catch (PostureSyncException ex) when (ex.ErrorId == ErrorIds.IseSessionNotFound)
                {
                    return (mac, null, ex);
                }
            })));
            foreach ((string _, IseSession? session, PostureSyncException? missing) in answers)
            {
                if (session != null)
                {
                    WriteObject(session);
                }
                else
                {
                    WriteFailure(missing!);
                }
            }
        }
    }
}
