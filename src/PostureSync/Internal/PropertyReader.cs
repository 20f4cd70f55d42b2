using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace PostureSync.Internal
{
    /// <summary>
    /// Reads an object's properties by name, so live results, Deserialized.* results (Invoke-Command, Import-Clixml)
    /// and hand-made objects with the right PSTypeName read alike. A property that is missing or throws reads as null.
    /// </summary>
    internal static class PropertyReader
    {
        public static object? Value(PSObject item, string name)
        {
            PSPropertyInfo? property = item.Properties[name];
            if (property == null)
            {
                return null;
            }

            try
            {
                object? value = property.Value;
                return value is PSObject wrapped ? wrapped.BaseObject : value;
            }
            catch (Exception ex) when (ex is GetValueException || ex is ExtendedTypeSystemException)
            {
                return null;
            }
        }

        public static string? Text(PSObject item, string name) => Format(Value(item, name));

        public static string[] Texts(PSObject item, string name) => Value(item, name) switch
        {
            null => Array.Empty<string>(),
            string one => new[] { one },
            IEnumerable many => many.Cast<object?>().Select(v => Format(v is PSObject p ? p.BaseObject : v) ?? string.Empty).ToArray(),
            object other => new[] { Format(other) ?? string.Empty },
        };

        public static int Int(PSObject item, string name) => Convert<int>(Value(item, name)) ?? 0;

        public static long Long(PSObject item, string name) => Convert<long>(Value(item, name)) ?? 0;

        public static bool? Bool(PSObject item, string name) => Convert<bool>(Value(item, name));

        public static DateTime? Time(PSObject item, string name) => Convert<DateTime>(Value(item, name));

        /// <summary>Culture-invariant text; lists one item to a line.</summary>
        public static string? Format(object? value) => value switch
        {
            null => null,
            string text => text,
            DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            IEnumerable many => string.Join("\n", many.Cast<object?>().Select(v => Format(v is PSObject p ? p.BaseObject : v))),
            _ => value.ToString(),
        };

        private static T? Convert<T>(object? value)
            where T : struct
        {
            if (value == null)
            {
                return null;
            }

            try
            {
                return LanguagePrimitives.ConvertTo<T>(value);
            }
            catch (PSInvalidCastException)
            {
                return null;
            }
        }
    }
}
