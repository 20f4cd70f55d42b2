using System;
using System.Collections.Generic;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Config;
using PostureSync.Core.Platform;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>Reads ISEPostureCFG.xml from the endpoint, a file, a folder or a DART bundle, and judges state sync.</summary>
    [Cmdlet(VerbsCommon.Get, "PostureSyncConfig", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(PostureSyncConfig))]
    public sealed class GetPostureSyncConfigCommand : PostureSyncCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private bool sawInput;

        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            string[]? paths = literal ? LiteralPath : Path;
            if (paths is null)
            {
                return;
            }

            sawInput = true;
            foreach (string path in ResolveInputPaths(paths, literal))
            {
                WriteVerbose($"Reading the posture profile from '{path}'.");
                Emit(() => PostureProfileReader.ReadPath(path, Reporter.Failure));
            }
        }

        protected override void EndProcessing()
        {
            if (sawInput)
            {
                return;
            }

            AgentLocations locations = AgentLocations.ForCurrentSystem();
            foreach (AgentPlace place in locations.ProfileDirectories)
            {
                WriteVerbose($"Looking for the {place.Family} profile in '{place.Path}'.");
            }

            Emit(() => PostureProfileReader.ReadInstalled(locations, Reporter.Failure));
        }

        /// <summary>Writes each profile read; a failure that ends the reading (one file given) is reported like the others.</summary>
        private void Emit(Func<IEnumerable<PostureSyncConfig>> read)
        {
            try
            {
                foreach (PostureSyncConfig config in read())
                {
                    WriteObject(config);
                }
            }
            catch (PostureSyncException ex)
            {
                WriteFailure(ex);
            }
        }
    }
}
