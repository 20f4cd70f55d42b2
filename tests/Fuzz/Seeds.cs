using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PostureSync.Fuzz
{
    /// <summary>The fixtures each target starts from, plus the saved regression inputs of that target.</summary>
    public static class Seeds
    {
        public static List<byte[]> For(string target, string fixtures)
        {
            List<byte[]> profiles = Files(fixtures, "Config", "*.xml");
            List<byte[]> logs = Files(fixtures, "Dart", "*.txt");
            var seeds = target switch
            {
                "profile" => profiles,
                "log" => logs,
                "dacl" or "avpair" or "show" => Files(fixtures, "Acl", "*.txt"),
                _ => profiles.Zip(logs.Concat(logs).Concat(logs).Concat(logs).Concat(logs).Concat(logs).Concat(logs).Concat(logs).Concat(logs), (p, l) => FuzzTargets.Bundle(p, l)).ToList(),
            };
            seeds.AddRange(Files(fixtures, Path.Combine("Fuzz", target), "*"));
            if (seeds.Count == 0)
            {
                throw new InvalidOperationException("No seed input for '" + target + "' under " + fixtures + ".");
            }

            return seeds;
        }

        private static List<byte[]> Files(string fixtures, string folder, string pattern)
        {
            string path = Path.Combine(fixtures, folder);
            return Directory.Exists(path)
                ? Directory.GetFiles(path, pattern).Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToList()
                : new List<byte[]>();
        }
    }
}
