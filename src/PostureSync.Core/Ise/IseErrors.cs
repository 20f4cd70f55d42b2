using System;
using System.Globalization;

namespace PostureSync.Core.Ise
{
    /// <summary>The failures of the ISE reads, with their ErrorIds from <see cref="ErrorIds"/>. No message ever holds the password.</summary>
    internal static class IseErrors
    {
        public static PostureSyncException Authentication(string server, string user) => new PostureSyncException(
            ErrorIds.IseAuthenticationFailed, FailureKind.AuthenticationError,
            $"ISE at {server} refused the user name or password of '{user}' (HTTP 401).", server)
        {
            RecommendedAction = "Check the credential; ERS and MnT need an internal ISE admin user (ERS Operator is enough for this audit).",
        };

        public static PostureSyncException Denied(string server, string user, string path) => new PostureSyncException(
            ErrorIds.IseAccessDenied, FailureKind.PermissionDenied,
            $"ISE at {server} denied '{user}' access to {path} (HTTP 403).", path)
        {
            RecommendedAction = "Give the account the ERS Operator group (read-only ERS and Open API) and, for sessions, an MnT admin role; " +
                "which role reads the policy Open API is [inferred] (see docs/ise-audit.md).",
        };

        public static PostureSyncException Disabled(string server, string path, string what) => new PostureSyncException(
            ErrorIds.IseApiDisabled, FailureKind.ResourceUnavailable,
            $"ISE at {server} answered {path} with {what}, not the API's answer: the API is not enabled, or this is the wrong port.", path)
        {
            RecommendedAction = "Enable ERS and Open API (Administration > System > Settings > API Settings > API Service Settings); " +
                "from ISE 3.1 use port 443 (the API gateway), before it ERS listens on 9060.",
        };

        public static PostureSyncException Invalid(string path, string problem, Exception? inner = null) => new PostureSyncException(
            ErrorIds.IseResponseInvalid, FailureKind.InvalidData, $"ISE's answer to {path} is not usable: {problem}.", path, inner)
        {
            RecommendedAction = "Check that -Server names an ISE node (PAN for ERS and policy, MnT for sessions); run with -Verbose to see the requests.",
        };

        public static PostureSyncException Status(string path, int status, string? detail) => new PostureSyncException(
            ErrorIds.IseRequestFailed, status >= 500 ? FailureKind.ResourceUnavailable : FailureKind.InvalidData,
            string.Format(CultureInfo.InvariantCulture, "ISE answered {0} with HTTP {1}{2}.", path, status, string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail), path)
        {
            RecommendedAction = "Try again later; if it persists, look at ISE's API logs for the request.",
        };

        public static PostureSyncException TimedOut(string server, string path, TimeSpan timeout) => new PostureSyncException(
            ErrorIds.IseTimeout, FailureKind.OperationTimeout,
            string.Format(CultureInfo.InvariantCulture, "ISE at {0} did not answer {1} within {2:0.###} s.", server, path, timeout.TotalSeconds), path)
        {
            RecommendedAction = "Raise -TimeoutSec, or check the port: with ERS disabled, port 9060 lets a connection hang.",
        };

        public static PostureSyncException NoRoute(string server, Exception inner) => new PostureSyncException(
            ErrorIds.IseUnreachable, FailureKind.ConnectionError, $"Cannot reach ISE at {server}: {Innermost(inner).Message}", server, inner)
        {
            RecommendedAction = "Check the name, the port (443 from ISE 3.1; 9060 for ERS without the gateway) and the firewall.",
        };

        public static PostureSyncException Certificate(string server, string problem, string? thumbprint) => new PostureSyncException(
            ErrorIds.IseCertificateInvalid, FailureKind.SecurityError,
            thumbprint is null
                ? $"The TLS handshake with ISE at {server} failed: {problem}."
                : $"ISE at {server} showed a certificate that is not accepted ({problem}); its thumbprint is {thumbprint}.", server)
        {
            RecommendedAction = thumbprint is null
                ? "Check that the server speaks TLS 1.2 or later on this port."
                : $"If that is your ISE admin certificate, pin it with -CertificateThumbprint {thumbprint}, or trust its issuer on this machine.",
        };

        public static PostureSyncException NoSession(string mac) => new PostureSyncException(
            ErrorIds.IseSessionNotFound, FailureKind.ObjectNotFound, $"ISE has no session for MAC address {mac}.", mac)
        {
            RecommendedAction = "Check the MAC address and that the endpoint is connected; ask the MnT node (not a PSN).",
        };

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }
    }
}
