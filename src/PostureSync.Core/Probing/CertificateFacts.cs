using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostureSync.Core.Probing
{
    /// <summary>What the server's certificate says and what is wrong with it, taken during the TLS validation callback.</summary>
    internal sealed class CertificateFacts
    {
        private const string SubjectAltNameOid = "2.5.29.17";

        public string Subject { get; private set; } = string.Empty;

        public string Issuer { get; private set; } = string.Empty;

        public string[] SubjectAlternativeNames { get; private set; } = Array.Empty<string>();

        public DateTime? NotBefore { get; private set; }

        public DateTime? NotAfter { get; private set; }

        public string? Thumbprint { get; private set; }

        public bool? Trusted { get; private set; }

        public bool NameMatches { get; private set; }

        public string[] Errors { get; private set; } = Array.Empty<string>();

        public bool Acceptable => Errors.Length == 0;

        public static CertificateFacts From(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors policyErrors, string expectedName)
        {
            var facts = new CertificateFacts();
            var errors = new List<string>();
            if (certificate is null || (policyErrors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                facts.Errors = new[] { "NotAvailable: the server sent no certificate" };
                return facts;
            }

            X509Certificate2 full = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            facts.Subject = full.Subject;
            facts.Issuer = full.Issuer;
            facts.NotBefore = full.NotBefore;
            facts.NotAfter = full.NotAfter;
            facts.Thumbprint = full.Thumbprint;
            facts.SubjectAlternativeNames = SubjectAltNames(full);
            facts.NameMatches = (policyErrors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
            bool chainOk = (policyErrors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
            facts.Trusted = chainOk;
            if (!facts.NameMatches)
            {
                errors.Add("NameMismatch: the certificate does not name '" + expectedName + "'");
            }

            if (!chainOk)
            {
                IEnumerable<string> statuses = (chain?.ChainStatus ?? Array.Empty<X509ChainStatus>())
                    .Where(s => s.Status != X509ChainStatusFlags.NoError)
                    .Select(s => s.Status + ": " + s.StatusInformation.Trim().TrimEnd('.'))
                    .Distinct();
                int before = errors.Count;
                errors.AddRange(statuses);
                if (errors.Count == before)
                {
                    errors.Add("ChainErrors: the chain could not be built to a trusted root");
                }
            }

            facts.Errors = errors.ToArray();
            return facts;
        }

        /// <summary>
        /// SANs from the extension's DER (GeneralNames), not from its formatted text, which differs between Windows,
        /// Linux and macOS. Written as <c>DNS:name</c>, <c>IP:address</c>, <c>Email:</c>, <c>URI:</c>.
        /// </summary>
        internal static string[] SubjectAltNames(X509Certificate2 certificate)
        {
            X509Extension? extension = certificate.Extensions.Cast<X509Extension>().FirstOrDefault(e => e.Oid?.Value == SubjectAltNameOid);
            return extension is null ? Array.Empty<string>() : ParseGeneralNames(extension.RawData);
        }

        internal static string[] ParseGeneralNames(byte[] der)
        {
            var names = new List<string>();
            int position = 0;
            if (!TryReadHeader(der, ref position, out byte tag, out int length) || tag != 0x30 || position + length > der.Length)
            {
                return new[] { "(unreadable subjectAltName extension)" };
            }

            int end = position + length;
            while (position < end)
            {
                if (!TryReadHeader(der, ref position, out tag, out length) || position + length > end)
                {
                    names.Add("(unreadable entry)");
                    break;
                }

                names.Add(Describe(tag, der, position, length));
                position += length;
            }

            return names.ToArray();
        }

        private static string Describe(byte tag, byte[] der, int offset, int length)
        {
            switch (tag)
            {
                case 0x81:
                    return "Email:" + Encoding.ASCII.GetString(der, offset, length);
                case 0x82:
                    return "DNS:" + Encoding.ASCII.GetString(der, offset, length);
                case 0x86:
                    return "URI:" + Encoding.ASCII.GetString(der, offset, length);
                case 0x87:
                    if (length == 4 || length == 16)
                    {
                        var bytes = new byte[length];
                        Array.Copy(der, offset, bytes, 0, length);
                        return "IP:" + new IPAddress(bytes);
                    }

                    return "IP:(" + length.ToString(CultureInfo.InvariantCulture) + " bytes)";
                case 0xA0:
                    return "OtherName";
                case 0xA4:
                    return "DirName";
                default:
                    return "Tag" + (tag & 0x1F).ToString(CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Reads a DER tag and definite length (short or long form, up to 4 length bytes).</summary>
        private static bool TryReadHeader(byte[] der, ref int position, out byte tag, out int length)
        {
            tag = 0;
            length = 0;
            if (position + 2 > der.Length)
            {
                return false;
            }

            tag = der[position++];
            int first = der[position++];
            if (first < 0x80)
            {
                length = first;
                return true;
            }

            int count = first & 0x7F;
            if (count == 0 || count > 4 || position + count > der.Length)
            {
                return false;
            }

            long value = 0;
            for (int i = 0; i < count; i++)
            {
                value = (value << 8) | der[position++];
            }

            if (value > int.MaxValue)
            {
                return false;
            }

            length = (int)value;
            return true;
        }
    }
}
