using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace PostureSync.Core.AgentLog
{
    /// <summary>
    /// The top-level members of one JSON object (one line of <c>journalctl -o json</c> or <c>log show --style
    /// ndjson</c>) as text. The framework's own JSON reader (<see cref="JsonReaderWriterFactory"/>, in netstandard2.0
    /// and .NET Framework alike) does the parsing, so the module ships no JSON library. A string is its text, a number
    /// its digits, and an array of numbers is taken as bytes in UTF-8: journald writes a MESSAGE that is not valid
    /// UTF-8 that way. Nested objects and other arrays are left out.
    /// </summary>
    internal static class JsonRecord
    {
        private const int MaxDepth = 16;
        private static readonly XNamespace ItemNamespace = "item";

        /// <summary>The members, or null when the line is not one JSON object.</summary>
        public static Dictionary<string, string>? Parse(string line)
        {
            string trimmed = line.Trim();
            if (trimmed.Length < 2 || trimmed[0] != '{')
            {
                return null;
            }

            byte[] utf8 = Encoding.UTF8.GetBytes(trimmed);
            var quotas = new XmlDictionaryReaderQuotas
            {
                MaxDepth = MaxDepth,
                MaxStringContentLength = utf8.Length + 1,
                MaxArrayLength = utf8.Length + 1,
                MaxBytesPerRead = 64 * 1024,
                MaxNameTableCharCount = 1024 * 1024,
            };

            XElement root;
            try
            {
                using XmlDictionaryReader reader = JsonReaderWriterFactory.CreateJsonReader(utf8, 0, utf8.Length, Encoding.UTF8, quotas, null);
                root = XElement.Load(reader);
            }
            catch (Exception ex) when (ex is XmlException || ex is System.Runtime.Serialization.SerializationException || ex is InvalidOperationException || ex is ArgumentException)
            {
                return null;
            }

            if ((string?)root.Attribute("type") != "object")
            {
                return null;
            }

            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (XElement member in root.Elements())
            {
                string name = (string?)member.Attribute(ItemNamespace + "item") ?? (string?)member.Attribute("item") ?? XmlConvert.DecodeName(member.Name.LocalName);
                string? value = ValueOf(member);
                if (value != null)
                {
                    members[name] = value;
                }
            }

            return members;
        }

        private static string? ValueOf(XElement member)
        {
            switch ((string?)member.Attribute("type") ?? "string")
            {
                case "string":
                case "number":
                case "boolean":
                    return member.Value;
                case "array":
                    var bytes = new List<byte>();
                    foreach (XElement item in member.Elements())
                    {
                        if ((string?)item.Attribute("type") != "number" || !byte.TryParse(item.Value, NumberStyles.None, CultureInfo.InvariantCulture, out byte b))
                        {
                            return null;
                        }

                        bytes.Add(b);
                    }

                    return new UTF8Encoding(false, false).GetString(bytes.ToArray());
                default:
                    return null;
            }
        }
    }
}
