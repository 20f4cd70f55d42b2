using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PostureSync.Core.Config;

namespace PostureSync.Core.Dart
{
    /// <summary>
    /// One answer, for every reader, to "what does a folder stand for": a folder that holds DART zips and no extracted
    /// bundle (a share users drop bundles into) stands for each zip in it; any other folder is read as it is.
    /// </summary>
    internal static class DartBundleFolder
    {
        /// <summary>The zips the folder stands for, by name; empty when it is to be read as a folder (or is none).</summary>
        public static IReadOnlyList<string> BundlesIn(string path)
        {
            if (!Directory.Exists(path) || LooksExtracted(path))
            {
                return Array.Empty<string>();
            }

            try
            {
                // Filter by extension here: a "*.zip" pattern is case-sensitive on Linux and also matches ".zipx" on Windows.
                return Directory.GetFiles(path)
                    .Where(file => string.Equals(Path.GetExtension(file), ".zip", StringComparison.OrdinalIgnoreCase))
                    .OrderBy(zip => zip, StringComparer.OrdinalIgnoreCase)
                    .ToArray();
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                // The folder's own reading then says what cannot be read.
                return Array.Empty<string>();
            }
        }

        private static bool LooksExtracted(string folder)
        {
            try
            {
                return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                    .Select(Path.GetFileName)
                    .Any(name => string.Equals(name, PostureProfileReader.FileName, StringComparison.OrdinalIgnoreCase) || DartSyncEventReader.IsPostureLogName(name));
            }
            catch (Exception ex) when (IoFailures.IsIoFailure(ex))
            {
                return true;
            }
        }
    }
}
