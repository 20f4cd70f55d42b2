using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using PostureSync.Core.Acl;

namespace PostureSync.Internal
{
    /// <summary>
    /// Completes Test-ComplianceDacl -AclName with the list names in the -Path, -LiteralPath or -Content (-Text) already
    /// on the command line: never file names. What it reads is bounded (<see cref="AclListNames"/>), and a path it
    /// cannot read simply offers nothing.
    /// </summary>
    public sealed class AclNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<string> names;
            try
            {
                names = ListNames(fakeBoundParameters);
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                // A completion that fails must leave the prompt as it was, not print an error.
                return Array.Empty<CompletionResult>();
            }

            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
            return names
                .Where(name => pattern.IsMatch(name))
                .Select(name => new CompletionResult(Quoted(name), name, CompletionResultType.ParameterValue, name))
                .ToList();
        }

        private static IReadOnlyList<string> ListNames(IDictionary bound)
        {
            string[] content = Strings(Value(bound, "Content") ?? Value(bound, "Text"));
            if (content.Length > 0)
            {
                return AclListNames.InText(string.Join("\n", content));
            }

            object? literal = Value(bound, "LiteralPath") ?? Value(bound, "LP");
            if (literal != null)
            {
                string here = CurrentFolder();
                return AclListNames.InFiles(Strings(literal).Select(path => Path.Combine(here, path)));
            }

            string[] paths = Strings(Value(bound, "Path"));
            if (paths.Length == 0)
            {
                return Array.Empty<string>();
            }

            string current = CurrentFolder();
            return AclListNames.InFiles(paths.SelectMany(path => Expand(Path.Combine(current, path))));
        }

        /// <summary>A -Path with wildcards in its file name: the matching files of its folder, in name order.</summary>
        private static IEnumerable<string> Expand(string full)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(Path.GetFileName(full)))
            {
                return new[] { full };
            }

            string? folder = Path.GetDirectoryName(full);
            if (folder == null || !Directory.Exists(folder))
            {
                return Array.Empty<string>();
            }

            var pattern = new WildcardPattern(Path.GetFileName(full), WildcardOptions.IgnoreCase);
            return Directory.EnumerateFiles(folder)
                .Where(file => pattern.IsMatch(Path.GetFileName(file)))
                .Take(AclListNames.MaxFiles)
                .OrderBy(file => file, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The session's file-system location (relative paths on the line are relative to it), else the process's.</summary>
        private static string CurrentFolder()
        {
            // A nested command on the completing thread's runspace: its SessionStateProxy answers null from this thread.
            try
            {
                using PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
                Collection<PSObject> location = shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke();
                if (location.Count > 0 && location[0].BaseObject is PathInfo info)
                {
                    return info.ProviderPath;
                }
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is RuntimeException)
            {
                // No runspace on this thread (a host that completes elsewhere): the process's folder is the best guess left.
            }

            return Environment.CurrentDirectory;
        }

        private static object? Value(IDictionary bound, string name) => bound.Contains(name) ? bound[name] : null;

        private static string[] Strings(object? value)
        {
            object? unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
            return unwrapped switch
            {
                null => Array.Empty<string>(),
                string text => new[] { text },
                IEnumerable many => many.Cast<object?>().Select(item => (item is PSObject inner ? inner.BaseObject : item)?.ToString()).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray(),
                _ => new[] { unwrapped.ToString() ?? string.Empty },
            };
        }

        private static string Quoted(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '@', '#' }) < 0 ? name : "'" + name.Replace("'", "''") + "'";

        private static bool IsReadFailure(Exception ex) =>
            ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException
            || ex is System.Security.SecurityException || ex is System.Text.RegularExpressions.RegexMatchTimeoutException;
    }
}
