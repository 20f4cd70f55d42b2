using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using PostureSync.Core.Json;

namespace PostureSync.Core.AgentLog
{
    /// <summary>
    /// The top-level members of one JSON object (one line of <c>journalctl -o json</c> or <c>log show --style
    /// ndjson</c>) as text, read through the module's one JSON view (<see cref="JsonTree"/>). A string is its text, a
    /// number its digits, and an array of numbers is taken as bytes in UTF-8: journald writes a MESSAGE that is not
    /// valid UTF-8 that way. Nested objects and other arrays are left out.
    /// </summary>
    internal static class JsonRecord
    {
        /// <summary>The members, or null when the line is not one JSON object.</summary>
        public static Dictionary<string, string>? Parse(string line)
        {
            string trimmed = line.Trim();
            if (trimmed.Length < 2 || trimmed[0] != '{')
            {
                return null;
            }

            JsonTree root;
            try
            {
                root = JsonTree.Parse(Encoding.UTF8.GetBytes(trimmed));
            }
            catch (FormatException)
            {
                return null;
            }

            if (root.Kind != "object")
            {
                return null;
            }

            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, JsonTree> member in root.Members)
            {
                string? value = member.Value.Kind == "array" ? Utf8FromByteArray(member.Value) : member.Value.Text;
                if (value != null)
                {
                    members[member.Key] = value;
                }
            }

            return members;
        }

        private static string? Utf8FromByteArray(JsonTree array)
        {
            var bytes = new List<byte>();
            foreach (JsonTree item in array.Items)
            {
                if (item.Kind != "number" || !byte.TryParse(item.Text, NumberStyles.None, CultureInfo.InvariantCulture, out byte b))
                {
                    return null;
                }

                bytes.Add(b);
            }

            return new UTF8Encoding(false, false).GetString(bytes.ToArray());
        }
    }
}
