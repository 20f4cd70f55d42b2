using System.Collections.Generic;

namespace PostureSync.Core.Agent
{
    /// <summary>The errors both restart strategies raise the same way.</summary>
    internal static class RestartFailures
    {
        public static PostureSyncException NotFound(IEnumerable<string> searched) => new PostureSyncException(
            ErrorIds.AgentNotFound,
            FailureKind.ObjectNotFound,
            "No ISE posture agent is installed on this endpoint; looked for: " + string.Join(", ", searched) + ".",
            "posture agent")
        {
            RecommendedAction = "Install the Secure Client ISE Posture module, or run the command on an endpoint that has it.",
        };

        /// <summary>AgentRestartFailed, with the tool's or service manager's answer in the message and in Data.</summary>
        public static PostureSyncException Failed(AgentRestartPlan plan, string what, ToolResult result, string recommendedAction)
        {
            string output = string.IsNullOrWhiteSpace(result.Output) ? "(no output)" : result.Output;
            var failure = new PostureSyncException(ErrorIds.AgentRestartFailed, FailureKind.ResourceUnavailable, $"Restarting the posture agent {plan.Name}: {what}: {output}", plan.Name)
            {
                RecommendedAction = recommendedAction,
            };
            failure.Data["ExitCode"] = result.ExitCode;
            failure.Data["Output"] = result.Output;
            return failure;
        }
    }
}
