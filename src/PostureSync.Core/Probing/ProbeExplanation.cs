using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace PostureSync.Core.Probing
{
    /// <summary>
    /// Says how an HTTPS probe ended: sets a result's Outcome and writes its Interpretation from what the transport
    /// observed, with what that means under the posture rule when a status was given. The probe path and ISE's answers
    /// are not public (DOMAIN.md §1), so readings beyond what was observed are marked [inferred].
    /// </summary>
    internal sealed class ProbeExplanation
    {
        private readonly HttpsProbeOptions options;

        public ProbeExplanation(HttpsProbeOptions options)
        {
            this.options = options;
        }

        /// <summary>The name did not resolve (or the resolver failed): nothing was sent.</summary>
        public void Unresolved(ProbeResult result, string problem)
        {
            result.Outcome = ProbeOutcomes.Unresolved;
            result.Interpretation = Sentences(problem + "; nothing was sent.", UnresolvedMeaning());
        }

        /// <summary>-AddressFamily left the target no address: the user's choice, so no meaning under the rule; nothing was sent.</summary>
        public void Excluded(ProbeResult result, string problem)
        {
            result.Outcome = ProbeOutcomes.Excluded;
            result.Interpretation = problem + "; nothing was sent.";
        }

        /// <summary>The TCP connect did not succeed: refused, or blocked on the way.</summary>
        public void NotConnected(ProbeResult result, TcpConnectAttempt attempt)
        {
            result.Outcome = attempt.State == PortStates.Closed ? ProbeOutcomes.Refused : ProbeOutcomes.Blocked;
            result.Interpretation = Sentences(NotConnectedText(attempt), TcpMeaning(attempt.State));
        }

        /// <summary>Connected while the port must be blocked, and stopped there (<see cref="HttpsProbeOptions.StopsBeforeTls"/>).</summary>
        public void StoppedToAvoidAlarm(ProbeResult result)
        {
            result.Outcome = ProbeOutcomes.StoppedToAvoidAlarm;
            result.Interpretation = "TCP connect succeeded while posture is " + options.PostureStatus + ", when the port must be blocked: "
                + "the dACL lacks the deny for this PSN, or is not applied yet [inferred]. Stopped before TLS: an HTTPS request that reaches ISE from a "
                + options.PostureStatus + " endpoint may raise \"Posture Configuration Detection\" [inferred]. Use -Force to send it anyway.";
        }

        public void HandshakeTimedOut(ProbeResult result, int bytesReceived)
        {
            result.Outcome = ProbeOutcomes.Timeout;
            result.Interpretation = Sentences(
                "TCP connected, but the TLS handshake did not finish within " + options.TimeoutText + " ("
                + bytesReceived.ToString(CultureInfo.InvariantCulture) + " bytes received).",
                TcpMeaning(PortStates.Open));
        }

        /// <summary>The handshake failed: the certificate was refused, the port spoke plain HTTP, or the answer was not TLS.</summary>
        public void TlsFailed(ProbeResult result, Exception failure, CertificateFacts? certificate, byte[] firstBytes)
        {
            result.Outcome = ProbeOutcomes.TlsFailed;
            result.Interpretation = Sentences(TlsFailureText(failure, certificate, firstBytes), TcpMeaning(PortStates.Open));
        }

        /// <summary>The HTTP exchange after TLS: no headers in time, a broken answer, or an answer (perhaps cut short).</summary>
        public void HttpEnded(ProbeResult result, HttpResponseReader reader, bool finished)
        {
            string received = reader.BytesReceived.ToString(CultureInfo.InvariantCulture) + " bytes received";
            string sent = "GET " + options.RequestPath + " sent over " + result.TlsProtocol + ". ";
            if (!finished && !reader.HeadComplete)
            {
                result.Outcome = ProbeOutcomes.Timeout;
                result.Interpretation = Sentences(sent + "The response headers did not arrive within " + options.TimeoutText + " (" + received + ").", TcpMeaning(PortStates.Open));
                return;
            }

            if (reader.Failure != null)
            {
                result.Outcome = ProbeOutcomes.HttpFailed;
                result.Interpretation = Sentences(sent + "The HTTP exchange failed: " + reader.Failure + " (" + received + ").", TcpMeaning(PortStates.Open));
                return;
            }

            result.Outcome = ProbeOutcomes.Answered;
            string body = finished ? string.Empty : " The body did not finish within " + options.TimeoutText + "; the preview holds what came.";
            result.Interpretation = Sentences(
                sent + "Observed: HTTP " + reader.StatusCode?.ToString(CultureInfo.InvariantCulture) + " " + result.HttpReason + "." + body,
                "ISE's probe path and answers are not public, so what this status means to the agent is unknown [inferred].",
                TcpMeaning(PortStates.Open),
                CertificateNote(result));
        }

        private static string CertificateNote(ProbeResult result) =>
            result.CertificateErrors.Length == 0
                ? string.Empty
                : "The certificate did not pass (" + string.Join("; ", result.CertificateErrors) + "); whether the agent accepts it is not public [inferred].";

        /// <summary>Joins the parts that have something to say, one space apart.</summary>
        private static string Sentences(params string[] parts) => string.Join(" ", parts.Where(p => p.Length > 0));

        private string TlsFailureText(Exception failure, CertificateFacts? certificate, byte[] firstBytes)
        {
            if (certificate != null && !certificate.Acceptable && !options.SkipCertificateCheck)
            {
                return "TLS handshake stopped: the server's certificate did not pass (" + string.Join("; ", certificate.Errors) + "). Use -SkipCertificateCheck to go on anyway.";
            }

            string answer = Encoding.ASCII.GetString(firstBytes);
            if (answer.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                return "TLS handshake failed: the port answered in plain HTTP ('" + Printable.Fold(answer, cut: true) + "'), not TLS; this is not an HTTPS listener.";
            }

            if (firstBytes.Length == 0)
            {
                return "TLS handshake failed: the server closed the connection without answering the TLS hello (" + failure.Message + ").";
            }

            return "TLS handshake failed: the server's answer is not TLS or not acceptable (" + failure.Message + ").";
        }

        private string NotConnectedText(TcpConnectAttempt attempt)
        {
            switch (attempt.State)
            {
                case PortStates.Closed:
                    return "TCP connect was refused (reset): nothing listens on the port at this address, or a firewall resets it [inferred].";
                case PortStates.Filtered:
                    return "TCP connect got no answer within " + options.TimeoutText + ": a dACL deny or a firewall drops the SYN, or the host is down [inferred].";
                case PortStates.Unreachable:
                    return "TCP connect failed: " + attempt.ErrorText + " (no route, or an ACL answered with ICMP unreachable [inferred]).";
                default:
                    return "TCP connect failed: " + attempt.ErrorText + ".";
            }
        }

        /// <summary>What the TCP state means under the posture rule, when a status was given; empty otherwise.</summary>
        private string TcpMeaning(string tcpState)
        {
            if (options.PostureStatus is null)
            {
                return string.Empty;
            }

            PostureStatus posture = options.PostureStatus.Value;
            bool connected = tcpState == PortStates.Open;
            if (options.PortMustBeBlocked)
            {
                if (connected)
                {
                    return "While posture is " + posture + " the port must be blocked: the dACL lacks the deny for this PSN, or is not applied yet [inferred]; "
                        + "the agent's probe reaching ISE raises \"Posture Configuration Detection\" and stops state sync until Secure Client is restarted.";
                }

                switch (tcpState)
                {
                    case PortStates.Filtered:
                        return "Blocked, as it must be while posture is " + posture + ".";
                    case PortStates.Error:
                        return "Whether the port is blocked, as it must be while posture is " + posture + ", could not be told.";
                    default:
                        return "Not reachable, as it must be while posture is " + posture + "; but a dACL deny drops silently, so something else answered and the dACL is not proven [inferred].";
                }
            }

            return connected
                ? "Reachable, as it must be while posture is " + posture + "."
                : "While posture is " + posture + " the port must be reachable: the agent cannot probe this PSN, so if ISE loses the session the endpoint stays in posture unknown.";
        }

        /// <summary>What a name that does not resolve means under the posture rule.</summary>
        private string UnresolvedMeaning() =>
            options.PostureStatus is null || options.PortMustBeBlocked
                ? string.Empty
                : "While posture is " + options.PostureStatus + " the PSN must be reachable: if the agent cannot resolve the name either, it cannot probe this PSN [inferred].";
    }
}
