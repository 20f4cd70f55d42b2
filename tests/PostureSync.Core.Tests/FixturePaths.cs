using System;
using System.IO;

namespace PostureSync.Core.Tests
{
    /// <summary>Where the shared fixture files (tests/Fixtures) land in the test output.</summary>
    internal static class FixturePaths
    {
        public static string Of(params string[] parts)
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Fixtures");
            foreach (string part in parts)
            {
                path = Path.Combine(path, part);
            }

            return path;
        }
    }
}
