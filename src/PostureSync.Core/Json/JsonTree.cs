using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace PostureSync.Core.Json
{
    /// <summary>
    /// A read-only view of a JSON document. The framework's own JSON reader (<see cref="JsonReaderWriterFactory"/>, in
    /// netstandard2.0, .NET Framework and .NET alike) maps JSON onto XML elements with a <c>type</c> attribute; this
    /// class only walks that mapping, so the module ships no JSON library and parses no JSON by hand.
    /// </summary>
    internal sealed class JsonTree
    {
        /// <summary>ISE bodies nest a policy condition a few levels deep and log records are flat; past this the text is neither.</summary>
        internal const int MaxDepth = 64;

        private static readonly XNamespace ItemNamespace = "item";
        private readonly XElement element;

        private JsonTree(XElement element) => this.element = element;

        /// <summary>object, array, string, number, boolean or null.</summary>
        public string Kind => (string?)element.Attribute("type") ?? "string";

        public bool IsNull => Kind == "null";

        /// <summary>Parses UTF-8 JSON; malformed or too deep text is a <see cref="FormatException"/>.</summary>
        public static JsonTree Parse(byte[] utf8)
        {
            var quotas = new XmlDictionaryReaderQuotas
            {
                MaxDepth = MaxDepth,
                MaxStringContentLength = utf8.Length + 1,
                MaxArrayLength = utf8.Length + 1,
                MaxBytesPerRead = 64 * 1024,
                MaxNameTableCharCount = 1024 * 1024,
            };
            try
            {
                using XmlDictionaryReader reader = JsonReaderWriterFactory.CreateJsonReader(utf8, 0, utf8.Length, Encoding.UTF8, quotas, null);
                return new JsonTree(XElement.Load(reader));
            }
            catch (Exception ex) when (ex is XmlException || ex is System.Runtime.Serialization.SerializationException || ex is InvalidOperationException || ex is ArgumentException)
            {
                throw new FormatException("The body is not valid JSON: " + ex.Message, ex);
            }
        }

        /// <summary>A member of an object, or null when absent (a JSON null is returned as a node whose <see cref="IsNull"/> is true).</summary>
        public JsonTree? this[string name]
        {
            get
            {
                if (Kind != "object")
                {
                    return null;
                }

                foreach (XElement child in element.Elements())
                {
                    if (MemberName(child) == name)
                    {
                        return new JsonTree(child);
                    }
                }

                return null;
            }
        }

        /// <summary>Members of an object, or the items of an array.</summary>
        public IEnumerable<JsonTree> Items => Kind == "array" ? element.Elements().Select(e => new JsonTree(e)) : Enumerable.Empty<JsonTree>();

        public IEnumerable<KeyValuePair<string, JsonTree>> Members => Kind == "object"
            ? element.Elements().Select(e => new KeyValuePair<string, JsonTree>(MemberName(e), new JsonTree(e)))
            : Enumerable.Empty<KeyValuePair<string, JsonTree>>();

        /// <summary>The text of a string, number or boolean; null for null, objects and arrays.</summary>
        public string? Text => Kind == "string" || Kind == "number" || Kind == "boolean" ? element.Value : null;

        /// <summary>The string of member <paramref name="name"/>, or null.</summary>
        public string? String(string name) => this[name]?.Text;

        public bool Bool(string name, bool missing = false) => this[name]?.Text is string text ? string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) : missing;

        public int? Int(string name) => this[name]?.Text is string text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : (int?)null;

        /// <summary>Member <paramref name="name"/> as strings: an array of strings, or one string.</summary>
        public string[] Strings(string name)
        {
            JsonTree? node = this[name];
            if (node is null || node.IsNull)
            {
                return Array.Empty<string>();
            }

            return node.Kind == "array"
                ? node.Items.Select(i => i.Text).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToArray()
                : node.Text is string one && one.Length > 0 ? new[] { one } : Array.Empty<string>();
        }

        private static string MemberName(XElement child) =>
            child.Name.Namespace == ItemNamespace || (child.Name.LocalName == "item" && child.Attribute("item") != null)
                ? (string?)child.Attribute("item") ?? child.Name.LocalName
                : XmlConvert.DecodeName(child.Name.LocalName);
    }
}
