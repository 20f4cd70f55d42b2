using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PostureSync.Core.Json;

namespace PostureSync.Core.Ise
{
    /// <summary>
    /// A saved ERS answer for downloadable ACLs: one <c>{"DownloadableAcl": {...}}</c> body, a JSON list of them, or the
    /// same objects without the wrapper (what <c>Get-IseDacl | ConvertTo-Json</c> writes, with Name and Text).
    /// </summary>
    internal static class ErsDaclExport
    {
        /// <summary>The text opens with <c>{</c> or <c>[</c>: no ACL layout does.</summary>
        public static bool LooksLikeJson(string text)
        {
            foreach (char c in text)
            {
                if (!char.IsWhiteSpace(c) && c != '\uFEFF')
                {
                    return c == '{' || c == '[';
                }
            }

            return false;
        }

        /// <summary>Each dACL of the export, in order; a body that is not such an export is DaclJsonInvalid.</summary>
        public static List<IseDacl> Read(string text, string source)
        {
            JsonTree root;
            try
            {
                root = JsonTree.Parse(Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF')));
            }
            catch (FormatException ex)
            {
                throw Invalid(source, ex.Message);
            }

            IEnumerable<JsonTree> items = root.Kind == "array" ? root.Items : new[] { root };
            var dacls = new List<IseDacl>();
            foreach (JsonTree item in items)
            {
                JsonTree body = item["DownloadableAcl"] ?? item;
                string? name = body.String("name") ?? body.String("Name");
                string? acl = body.String("dacl") ?? body.String("Text");
                if (name is null || acl is null)
                {
                    throw Invalid(source, item["SearchResult"] != null
                        ? "it is an ERS list, which holds no dACL text; save each dACL by id (GET /ers/config/downloadableacl/{id}) or use Get-IseDacl"
                        : "an entry has no name and dacl");
                }

                dacls.Add(new IseDacl
                {
                    Name = name,
                    Id = body.String("id") ?? body.String("Id") ?? string.Empty,
                    DaclType = body.String("daclType") ?? body.String("DaclType") ?? "IPV4",
                    Text = IseInventory.DaclText(acl),
                });
            }

            if (dacls.Count == 0)
            {
                throw Invalid(source, "it holds no dACL");
            }

            return dacls;
        }

        private static PostureSyncException Invalid(string source, string problem) => new PostureSyncException(
            ErrorIds.DaclJsonInvalid, FailureKind.InvalidData, $"{source}: not a usable ERS dACL export: {problem}.", source)
        {
            RecommendedAction = "Save the ERS answer of GET /ers/config/downloadableacl/{id} (JSON), a list of those, or Get-IseDacl | ConvertTo-Json.",
        };
    }
}
