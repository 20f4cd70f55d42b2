using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using PostureSync.Core;
using PostureSync.Core.Nad;
using PostureSync.Core.Probing;
using PostureSync.Internal;

namespace PostureSync
{
    /// <summary>The sessions in a switch's session detail output: which dACL each endpoint's session holds.</summary>
    [Cmdlet(VerbsCommon.Get, "NadSession", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(NadSession))]
    public sealed class GetNadSessionCommand : PostureSyncCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ContentSet = "Content";
        private const string ContentSource = "-Content";

        private readonly List<NadSession> sessions = new List<NadSession>();
        private readonly HashSet<string> filesRead = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Piped single lines (Get-Content) form one text until a whole text or the end arrives.</summary>
        private NadSessionParser? lineParser;
        private int contentTexts;

        [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        [Parameter(ParameterSetName = ContentSet, Mandatory = true, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[]? Content { get; set; }

        /// <summary>What ISE holds for these endpoints; with Compliant or NonCompliant a session with no ACS ACL is a finding.</summary>
        [Parameter]
        public PostureStatus PostureStatus { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ContentSet)
            {
                foreach (string? text in Content ?? Array.Empty<string>())
                {
                    AddContent(text ?? string.Empty);
                }

                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string file in ResolveInputPaths((literal ? LiteralPath : Path) ?? Array.Empty<string>(), literal))
            {
                if (filesRead.Add(file))
                {
                    WriteVerbose($"Reading switch session output from '{file}'.");
                    var parser = new NadSessionParser(file);
                    Collect(file, parser, () => NadSessionReader.ReadFile(file, parser));
                }
            }
        }

        protected override void EndProcessing()
        {
            FlushLines();
            if (ParameterSetName == ContentSet && contentTexts == 0)
            {
                // -Content @() holds no session either, and deserves the same one clear error.
                WriteFailure(NadSessionReader.NotFound(ContentSource, new NadSessionParser(ContentSource)));
            }

            NadSessionFindings.Apply(sessions, MyInvocation.BoundParameters.ContainsKey(nameof(PostureStatus)) ? PostureStatus.ToString() : null);
            foreach (NadSession session in sessions)
            {
                WriteObject(session);
            }
        }

        private void AddContent(string text)
        {
            if (text.IndexOf('\n') < 0 && text.IndexOf('\r') < 0)
            {
                if (lineParser is null)
                {
                    lineParser = new NadSessionParser(ContentSource);
                    contentTexts++;
                }

                NadSession? session = lineParser.Push(text);
                if (session != null)
                {
                    sessions.Add(session);
                }

                return;
            }

            // A whole text (Get-Content -Raw) is its own output: a session never runs on into the next text.
            FlushLines();
            contentTexts++;
            var parser = new NadSessionParser(ContentSource);
            Collect(ContentSource, parser, () => NadSessionReader.ReadText(text, parser));
        }

        private void FlushLines()
        {
            if (lineParser is null)
            {
                return;
            }

            NadSession? last = lineParser.Finish();
            if (last != null)
            {
                sessions.Add(last);
            }

            ReportIfEmpty(ContentSource, lineParser);
            lineParser = null;
        }

        private void Collect(string source, NadSessionParser parser, Func<IEnumerable<NadSession>> read)
        {
            try
            {
                foreach (NadSession session in read())
                {
                    Cancellation.ThrowIfCancellationRequested();
                    sessions.Add(session);
                }
            }
            catch (PostureSyncException ex)
            {
                WriteFailure(ex);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "{0}: {1} sessions.", source, parser.SessionCount));
            ReportIfEmpty(source, parser);
        }

        private void ReportIfEmpty(string source, NadSessionParser parser)
        {
            if (parser.SessionCount == 0)
            {
                WriteFailure(NadSessionReader.NotFound(source, parser));
            }
        }
    }
}
