using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Xml;
using PostureSync.Core.Acl;

namespace PostureSync.Core.Ise
{
    /// <summary>An endpoint's session from the monitoring node (ISE-API.md §5), by MAC address.</summary>
    internal static class MntSessionReader
    {
        private const string SessionPath = "/admin/API/mnt/Session/MACAddress/";
        private const int MaxElementText = 64 * 1024;

        /// <summary>
        /// <c>AA:BB:CC:00:11:22</c> from any common notation (<c>aa-bb-cc-00-11-22</c>, <c>aabb.cc00.1122</c>, colons,
        /// twelve bare hex digits); null when it is not a MAC address. MnT takes upper case with colons [inferred].
        /// </summary>
        public static string? NormalizeMac(string? text)
        {
            var hex = new StringBuilder(12);
            foreach (char c in (text ?? string.Empty).Trim())
            {
                if (Uri.IsHexDigit(c))
                {
                    hex.Append(char.ToUpperInvariant(c));
                }
                else if (c != ':' && c != '-' && c != '.' && c != ' ')
                {
                    return null;
                }
            }

            if (hex.Length != 12)
            {
                return null;
            }

            var mac = new StringBuilder(17);
            for (int i = 0; i < 12; i += 2)
            {
                mac.Append(mac.Length > 0 ? ":" : string.Empty).Append(hex[i]).Append(hex[i + 1]);
            }

            return mac.ToString();
        }

        public static async Task<IseSession> GetAsync(IseReader reader, string mac)
        {
            string path = SessionPath + mac;
            IseResponse response = await reader.GetAsync(path, IseApi.Mnt).ConfigureAwait(false);
            Dictionary<string, string> fields = response.IsXml && response.Body.Length > 0 ? ReadFlat(response) : new Dictionary<string, string>();
            if (response.Status == 404)
            {
                throw IseErrors.NoSession(mac);
            }

            if (response.Status == 500)
            {
                // "Session data is not available" comes as a 500 on real ISE [inferred]; "not a MnT node" also does.
                string info = fields.TryGetValue("internal-error-info", out string? text) ? text : string.Empty;
                if (info.IndexOf("not available", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw IseErrors.NoSession(mac);
                }

                if (info.IndexOf("not a MnT node", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw new PostureSyncException(ErrorIds.IseApiDisabled, FailureKind.ResourceUnavailable,
                        $"{reader.Client.Options.Server} is not a monitoring (MnT) node, so it cannot answer session queries.", reader.Client.Options.Server)
                    {
                        RecommendedAction = "Connect to the MnT node of the deployment for Get-IseSessionPosture.",
                    };
                }

                throw IseErrors.Status(path, 500, info.Length > 0 ? IseReader.Clip(info, 200) : null);
            }

            if (response.Status != 200)
            {
                throw IseErrors.Status(path, response.Status, null);
            }

            if (!fields.ContainsKey("calling_station_id") && !fields.ContainsKey("posture_status") && !fields.ContainsKey("user_name"))
            {
                throw IseErrors.Invalid(path, "it is not a sessionParameters document");
            }

            return ToSession(mac, fields);
        }

        internal static IseSession ToSession(string mac, Dictionary<string, string> fields)
        {
            string Field(string name) => fields.TryGetValue(name, out string? value) ? value.Trim() : string.Empty;
            Dictionary<string, string> other = OtherAttributes(Field("other_attr_string"));

            // Read order posture_status -> nac_policy_compliance -> other_attr_string (ISE-API.md §5.1) [inferred].
            (string status, string source) = Field("posture_status").Length > 0 ? (Field("posture_status"), "posture_status")
                : Field("nac_policy_compliance").Length > 0 ? (Field("nac_policy_compliance"), "nac_policy_compliance")
                : other.TryGetValue("PostureStatus", out string? fromOther) && fromOther.Length > 0 ? (fromOther, "other_attr_string")
                : other.TryGetValue("PostureAssessmentStatus", out string? assessed) && assessed.Length > 0 ? (assessed, "other_attr_string")
                : (string.Empty, string.Empty);
            string caller = NormalizeMac(Field("calling_station_id")) ?? mac;
            return new IseSession
            {
                MacAddress = caller,
                PostureStatus = status,
                PostureSource = source,
                EndpointIp = Blank(Field("framed_ip_address")),
                NasIpAddress = Blank(Field("nas_ip_address")),
                UserName = Blank(Field("user_name")),
                AuthorizationProfiles = Field("selected_azn_profiles").Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToArray(),
                DaclName = Field("dacl").Length == 0 ? null : DownloadedAclName.Parse(Field("dacl")).DaclName,
                PolicySet = other.TryGetValue("ISEPolicySetName", out string? set) ? set : null,
                AuthorizationRule = other.TryGetValue("AuthorizationPolicyMatchedRule", out string? rule) ? rule : null,
                Psn = Blank(Field("acs_server")),
                StartTime = DateTimeOffset.TryParse(Field("auth_acs_timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset start)
                    ? start.UtcDateTime
                    : (DateTime?)null,
            };
        }

        /// <summary><c>:!:</c>-separated Key=Value pairs (ISE-API.md §5.1) [inferred].</summary>
        private static Dictionary<string, string> OtherAttributes(string text)
        {
            var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string pair in text.Split(new[] { ":!:" }, StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=');
                if (equals > 0 && !pairs.ContainsKey(pair.Substring(0, equals)))
                {
                    pairs.Add(pair.Substring(0, equals), pair.Substring(equals + 1).Trim());
                }
            }

            return pairs;
        }

        /// <summary>The root's child elements as name to text (first occurrence wins). DTDs are refused: no XXE.</summary>
        internal static Dictionary<string, string> ReadFlat(IseResponse response)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = response.Body.Length * 2L + 1024,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            try
            {
                using var reader = XmlReader.Create(new MemoryStream(response.Body, writable: false), settings);
                reader.MoveToContent();
                int rootDepth = reader.Depth;
                while (reader.Read())
                {
                    if (reader.NodeType == XmlNodeType.Element && reader.Depth == rootDepth + 1)
                    {
                        string name = reader.LocalName;
                        var text = new StringBuilder();
                        using (XmlReader element = reader.ReadSubtree())
                        {
                            while (element.Read())
                            {
                                if ((element.NodeType == XmlNodeType.Text || element.NodeType == XmlNodeType.CDATA) && text.Length < MaxElementText)
                                {
                                    text.Append(element.Value);
                                }
                            }
                        }

                        if (!fields.ContainsKey(name))
                        {
                            fields.Add(name, text.Length > MaxElementText ? text.ToString(0, MaxElementText) : text.ToString());
                        }
                    }
                }
            }
            catch (XmlException ex)
            {
                throw IseErrors.Invalid(response.Path, "it is not well-formed XML (" + ex.Message + ")", ex);
            }

            return fields;
        }

        private static string? Blank(string text) => text.Length == 0 ? null : text;
    }
}
