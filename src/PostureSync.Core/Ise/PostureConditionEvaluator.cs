using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using PostureSync.Core.Json;

namespace PostureSync.Core.Ise
{
    /// <summary>Kleene's three values: a leaf the audit does not model is Unknown, since it may be either.</summary>
    internal enum Truth
    {
        False,
        Unknown,
        True,
    }

    /// <summary>Whether a condition can match a session whose posture is Compliant, and why not decided when not.</summary>
    internal sealed class ConditionOutcome
    {
        public Truth Value { get; set; }

        /// <summary>A Session:PostureStatus leaf was evaluated.</summary>
        public bool HasPostureLeaf { get; set; }

        /// <summary>What could not be decided: a missing library condition, an operator whose value format is not known, ...</summary>
        public List<string> Undecidable { get; } = new List<string>();

        /// <summary>Facts worth a finding, e.g. an [inferred] dictionary name.</summary>
        public List<string> Notes { get; } = new List<string>();
    }

    /// <summary>
    /// Evaluates an Open API policy condition tree (ISE-API.md §4.3) for a session whose PostureStatus is Compliant:
    /// posture leaves are decided, every other leaf is free (Unknown), isNegate applies at every level, library
    /// conditions are resolved through <c>condition/{id}</c> (cached, cycles and depth bounded).
    /// </summary>
    internal sealed class PostureConditionEvaluator
    {
        public const string PostureAttribute = "PostureStatus";
        public const string CompliantValue = "Compliant";

        /// <summary>References followed inside one another before the condition is called undecidable.</summary>
        public const int MaxReferenceDepth = 16;

        private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);
        private readonly Func<string, Task<JsonTree?>> resolveLibrary;
        private readonly Dictionary<string, Task<JsonTree?>> library = new Dictionary<string, Task<JsonTree?>>(StringComparer.OrdinalIgnoreCase);

        /// <param name="resolveLibrary">Reads a library condition by id; null when ISE does not have it.</param>
        public PostureConditionEvaluator(Func<string, Task<JsonTree?>> resolveLibrary) => this.resolveLibrary = resolveLibrary;

        public async Task<ConditionOutcome> EvaluateAsync(JsonTree? condition)
        {
            var outcome = new ConditionOutcome();
            outcome.Value = condition is null || condition.IsNull ? Truth.True : await NodeAsync(condition, outcome, new List<string>(), 0).ConfigureAwait(false);
            return outcome;
        }

        private async Task<Truth> NodeAsync(JsonTree node, ConditionOutcome outcome, List<string> references, int depth)
        {
            if (depth > JsonTree.MaxDepth)
            {
                outcome.Undecidable.Add("the condition nests deeper than " + JsonTree.MaxDepth + " levels");
                return Truth.Unknown;
            }

            string type = node.String("conditionType") ?? string.Empty;
            Truth value;
            switch (type)
            {
                case "ConditionAndBlock":
                case "LibraryConditionAndBlock":
                    value = await BlockAsync(node, outcome, references, depth, Truth.True, And).ConfigureAwait(false);
                    break;
                case "ConditionOrBlock":
                case "LibraryConditionOrBlock":
                    value = await BlockAsync(node, outcome, references, depth, Truth.False, Or).ConfigureAwait(false);
                    break;
                case "ConditionAttributes":
                case "LibraryConditionAttributes":
                    value = Leaf(node, outcome);
                    break;
                case "ConditionReference":
                    value = await ReferenceAsync(node, outcome, references, depth).ConfigureAwait(false);
                    break;
                case "TimeAndDateCondition":
                    value = Truth.Unknown;
                    break;
                default:
                    outcome.Undecidable.Add("condition type '" + IseReader.Clip(type, 60) + "' is not modelled");
                    value = Truth.Unknown;
                    break;
            }

            return node.Bool("isNegate") ? Not(value) : value;
        }

        /// <summary>Every child, folded with <paramref name="combine"/> from <paramref name="identity"/> (an empty And is true, an empty Or false).</summary>
        private async Task<Truth> BlockAsync(JsonTree node, ConditionOutcome outcome, List<string> references, int depth, Truth identity, Func<Truth, Truth, Truth> combine)
        {
            Truth value = identity;
            foreach (JsonTree child in node["children"]?.Items ?? Enumerable.Empty<JsonTree>())
            {
                value = combine(value, await NodeAsync(child, outcome, references, depth + 1).ConfigureAwait(false));
            }

            return value;
        }

        private async Task<Truth> ReferenceAsync(JsonTree node, ConditionOutcome outcome, List<string> references, int depth)
        {
            string id = node.String("id") ?? string.Empty;
            string name = IseReader.Clip(node.String("name") ?? id, 80);
            if (references.Contains(id, StringComparer.OrdinalIgnoreCase) || references.Count >= MaxReferenceDepth)
            {
                outcome.Undecidable.Add("library condition '" + name + "' refers back to itself or nests too deep");
                return Truth.Unknown;
            }

            if (!library.TryGetValue(id, out Task<JsonTree?>? pending))
            {
                pending = id.Length == 0 ? Task.FromResult<JsonTree?>(null) : resolveLibrary(id);
                library.Add(id, pending);
            }

            JsonTree? body = await pending.ConfigureAwait(false);
            if (body is null)
            {
                outcome.Undecidable.Add("library condition '" + name + "' was not found on ISE");
                return Truth.Unknown;
            }

            references.Add(id);
            try
            {
                return await NodeAsync(body, outcome, references, depth + 1).ConfigureAwait(false);
            }
            finally
            {
                references.RemoveAt(references.Count - 1);
            }
        }

        private static Truth Leaf(JsonTree node, ConditionOutcome outcome)
        {
            string attribute = node.String("attributeName") ?? string.Empty;
            if (!string.Equals(attribute, PostureAttribute, StringComparison.OrdinalIgnoreCase))
            {
                // Any other attribute may be either for some Compliant session.
                return Truth.Unknown;
            }

            string dictionary = node.String("dictionaryName") ?? string.Empty;
            if (!string.Equals(dictionary, "Session", StringComparison.Ordinal))
            {
                outcome.Notes.Add("the posture attribute is read from dictionary '" + IseReader.Clip(dictionary, 60) +
                    "', not 'Session'; taken as Session:PostureStatus [inferred]");
            }

            outcome.HasPostureLeaf = true;
            string op = node.String("operator") ?? string.Empty;
            JsonTree? valueNode = node["attributeValue"] is JsonTree a && !a.IsNull ? a : node["dictionaryValue"];
            string? value = valueNode?.Text;
            bool? result = op switch
            {
                "equals" => value is null ? (bool?)null : value == CompliantValue,
                "notEquals" => value is null ? (bool?)null : value != CompliantValue,
                "contains" => value is null ? (bool?)null : CompliantValue.IndexOf(value, StringComparison.Ordinal) >= 0,
                "notContains" => value is null ? (bool?)null : CompliantValue.IndexOf(value, StringComparison.Ordinal) < 0,
                "startsWith" => value is null ? (bool?)null : CompliantValue.StartsWith(value, StringComparison.Ordinal),
                "notStartsWith" => value is null ? (bool?)null : !CompliantValue.StartsWith(value, StringComparison.Ordinal),
                "endsWith" => value is null ? (bool?)null : CompliantValue.EndsWith(value, StringComparison.Ordinal),
                "notEndsWith" => value is null ? (bool?)null : !CompliantValue.EndsWith(value, StringComparison.Ordinal),
                "matches" => value is null ? (bool?)null : Matches(value),
                "in" => InList(valueNode),
                "notIn" => InList(valueNode) is bool inList ? !inList : (bool?)null,
                _ => null,
            };
            if (result is null)
            {
                outcome.Undecidable.Add("Session:PostureStatus " + IseReader.Clip(op, 40) + " '" + IseReader.Clip(value ?? "(no value)", 60) + "' cannot be decided" +
                    (op == "in" || op == "notIn" ? ": the value-list format of in/notIn is not documented [inferred]" : string.Empty));
                return Truth.Unknown;
            }

            return result.Value ? Truth.True : Truth.False;
        }

        private static bool? Matches(string pattern)
        {
            try
            {
                return Regex.IsMatch(CompliantValue, pattern, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is RegexMatchTimeoutException)
            {
                return null;
            }
        }

        /// <summary>Only a JSON array is a list whose format is certain.</summary>
        private static bool? InList(JsonTree? value) =>
            value != null && value.Kind == "array" ? value.Items.Any(i => i.Text == CompliantValue) : (bool?)null;

        internal static Truth Not(Truth value) => value == Truth.Unknown ? Truth.Unknown : value == Truth.True ? Truth.False : Truth.True;

        internal static Truth And(Truth a, Truth b) => a == Truth.False || b == Truth.False ? Truth.False : a == Truth.True && b == Truth.True ? Truth.True : Truth.Unknown;

        internal static Truth Or(Truth a, Truth b) => a == Truth.True || b == Truth.True ? Truth.True : a == Truth.False && b == Truth.False ? Truth.False : Truth.Unknown;
    }
}
