using PostureSync.Core.Agent;
using Xunit;

namespace PostureSync.Core.Tests.Agent
{
    /// <summary>Only this endpoint's live report may restart this endpoint's agent.</summary>
    public class RestartTargetTests
    {
        private const string Here = "PC-17";

        [Theory]
        [InlineData("Live", "PC-17", null)]
        [InlineData("live", "pc-17", "")]
        [InlineData("Live", "PC-17", "PC-17")]
        [InlineData("Live", "PC-17", "pc-17.corp.example")]
        [InlineData("Live", "PC-17", "localhost")]
        [InlineData("Live", "PC-17.corp.example", null)]
        public void ThisEndpointsLiveReportRestarts(string source, string endpoint, string? computer)
        {
            Assert.Null(RestartTarget.Refusal(source, endpoint, computer, Here));
        }

        [Theory]
        [InlineData("/share/dart/endpoint-sync-off.zip", "endpoint-sync-off", null, "endpoint-sync-off")]
        [InlineData("Live", "FAR-PC", null, "FAR-PC")]
        [InlineData("Live", "PC-17", "FAR-PC", "FAR-PC")]
        [InlineData("Live", "FAR-PC", "FAR-PC", "FAR-PC")]
        [InlineData(null, null, null, "the endpoint it came from")]
        [InlineData("Live", "PC-170", null, "PC-170")]
        public void AnythingElseIsRefusedAndSaysWhereToRestart(string? source, string? endpoint, string? computer, string where)
        {
            PostureSyncException? refusal = RestartTarget.Refusal(source, endpoint, computer, Here);

            Assert.NotNull(refusal);
            Assert.Equal("RestartNotForThisEndpoint", refusal!.ErrorId);
            Assert.Equal(where, refusal.Target);
            Assert.Contains("'" + Here + "'", refusal.Message);
            Assert.Contains("Restart-PostureAgent -Confirm:$false", refusal.RecommendedAction);
            if (where != "the endpoint it came from")
            {
                Assert.Contains("Invoke-Command -ComputerName " + where + " {", refusal.RecommendedAction);
            }
        }
    }
}
