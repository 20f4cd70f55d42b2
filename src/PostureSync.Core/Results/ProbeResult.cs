using System;
using PostureSync.Core.Probing;

namespace PostureSync
{
    // Result types live in the PostureSync namespace so that their CLR name is the PowerShell type name
    // (PostureSync.<Name>) the views select: the cmdlets write them as they are, with no per-object wrapper.
    /// <summary>One HTTPS probe round against one address of one target (PostureSync.ProbeResult).</summary>
    public sealed class ProbeResult
    {
        public string TargetName { get; set; } = string.Empty;

        public string? TargetAddress { get; set; }

        public int Port { get; set; }

        /// <summary>The round, from 1.</summary>
        public int Sequence { get; set; }

        /// <summary>When the round started for this target (local time).</summary>
        public DateTime Timestamp { get; set; }

        /// <summary>One of <see cref="ProbeOutcomes"/>.</summary>
        public string Outcome { get; set; } = string.Empty;

        /// <summary>The TCP connect's state, one of <see cref="PortStates"/>.</summary>
        public string TcpState { get; set; } = string.Empty;

        public string? TlsProtocol { get; set; }

        public string? CipherSuite { get; set; }

        public string? CertificateSubject { get; set; }

        public string? CertificateIssuer { get; set; }

        public string[] CertificateSan { get; set; } = Array.Empty<string>();

        /// <summary>Start of the certificate's validity (local time).</summary>
        public DateTime? CertificateNotBefore { get; set; }

        /// <summary>End of the certificate's validity (local time).</summary>
        public DateTime? CertificateNotAfter { get; set; }

        public string? CertificateThumbprint { get; set; }

        /// <summary>Whether the chain built to a trusted root without errors; null when no certificate was seen.</summary>
        public bool? CertificateTrusted { get; set; }

        /// <summary>Name mismatch and chain errors, as text; empty when the certificate passed.</summary>
        public string[] CertificateErrors { get; set; } = Array.Empty<string>();

        public int? HttpStatusCode { get; set; }

        public string? HttpReason { get; set; }

        public string? ServerHeader { get; set; }

        public string? ContentType { get; set; }

        /// <summary>The start of the body, non-printable characters replaced, whitespace folded, cut.</summary>
        public string? BodyPreview { get; set; }

        public double ElapsedMs { get; set; }

        /// <summary>What the observation means; anything beyond the observation is marked [inferred].</summary>
        public string Interpretation { get; set; } = string.Empty;
    }
}
