using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace PostureSync.Core.Config
{
    /// <summary>
    /// Loads a profile's bytes as XML with DTDs prohibited and no resolver (nothing outside the file is read, no entity
    /// is expanded) and checks that it is a posture profile at all, before it is judged.
    /// </summary>
    internal static class ProfileDocument
    {
        /// <summary>
        /// A posture profile is three or four elements deep; anything far deeper is refused before a tree is built,
        /// because building and walking a tree of deeply nested elements costs time with the square of the depth.
        /// </summary>
        public const int MaxXmlDepth = 32;

        /// <summary>Parses profile bytes; <paramref name="displayPath"/> names the source in results and errors.</summary>
        public static PostureSyncConfig Parse(byte[] bytes, string displayPath, string? bundlePath, string clientFamily, DateTime? lastWriteTime)
        {
            if (bytes.Length == 0 || IsWhitespaceOnly(bytes))
            {
                throw new PostureSyncException(ErrorIds.ConfigEmpty, FailureKind.InvalidData, $"'{displayPath}' is empty: it holds no posture profile.", displayPath)
                {
                    RecommendedAction = "Copy the profile again from the endpoint (ISE pushes it when the agent connects), or collect a DART bundle.",
                };
            }

            XDocument document = Load(bytes, displayPath);
            XElement root = document.Root!;
            if (root.Name.LocalName != "cfg")
            {
                throw new PostureSyncException(
                    ErrorIds.ConfigNotPosture,
                    FailureKind.InvalidData,
                    $"'{displayPath}' is XML, but its root element is <{root.Name.LocalName}>, not the posture profile's <cfg>.",
                    displayPath)
                {
                    RecommendedAction = "Pass ISEPostureCFG.xml (ISEPreferences.xml, ConnectionData.xml and DGCacheRecords.xml are other files).",
                };
            }

            return ProfileJudge.Judge(root, displayPath, bundlePath, clientFamily, lastWriteTime);
        }

        private static XDocument Load(byte[] bytes, string displayPath)
        {
            // No DTD, no resolver, no entity expansion: a profile never needs them and hostile files must not get them.
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersFromEntities = 1024,
                MaxCharactersInDocument = PostureProfileReader.MaxProfileBytes * 2L,
                IgnoreProcessingInstructions = true,
                CloseInput = true,
            };

            try
            {
                RefuseDeepNesting(XmlReader.Create(new MemoryStream(bytes, writable: false), settings), displayPath);
                using XmlReader reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
                return XDocument.Load(reader, LoadOptions.SetLineInfo);
            }
            catch (XmlException ex)
            {
                bool dtd = ContainsDoctype(bytes);
                string where = ex.LineNumber > 0 ? $" (line {ex.LineNumber}, column {ex.LinePosition})" : string.Empty;
                throw new PostureSyncException(
                    dtd ? ErrorIds.ConfigDtdProhibited : ErrorIds.ConfigXmlInvalid,
                    FailureKind.InvalidData,
                    dtd
                        ? $"'{displayPath}' declares a DTD{where}; DTDs are refused so that no entity is ever expanded or fetched. A posture profile never has one."
                        : $"'{displayPath}' is not well-formed XML{where}: {ex.Message}",
                    displayPath,
                    ex)
                {
                    RecommendedAction = dtd
                        ? "Use the profile exactly as ISE pushed it to the endpoint."
                        : "The file may be truncated or damaged: copy it again from the endpoint or collect a new DART bundle.",
                };
            }
        }

        /// <summary>One streaming pass (linear in the size) that stops at the first element nested beyond <see cref="MaxXmlDepth"/>.</summary>
        private static void RefuseDeepNesting(XmlReader reader, string displayPath)
        {
            using (reader)
            {
                while (reader.Read())
                {
                    if (reader.Depth > MaxXmlDepth)
                    {
                        var info = (IXmlLineInfo)reader;
                        throw new PostureSyncException(
                            ErrorIds.ConfigXmlTooDeep,
                            FailureKind.LimitsExceeded,
                            string.Format(
                                CultureInfo.InvariantCulture,
                                "'{0}' nests elements more than {1} levels deep (line {2}, column {3}); a posture profile is a few levels deep, so it was not read.",
                                displayPath,
                                MaxXmlDepth,
                                info.LineNumber,
                                info.LinePosition),
                            displayPath)
                        {
                            RecommendedAction = "Use the profile exactly as ISE pushed it to the endpoint (copy it again, or collect a new DART bundle).",
                        };
                    }
                }
            }
        }

        private static bool IsWhitespaceOnly(byte[] bytes)
        {
            string text = Encoding.UTF8.GetString(bytes);
            foreach (char c in text)
            {
                if (!char.IsWhiteSpace(c) && c != '\uFEFF' && c != '\0')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool ContainsDoctype(byte[] bytes)
        {
            string asUtf8 = Encoding.UTF8.GetString(bytes);
            string asUtf16 = bytes.Length > 1 && (bytes[0] == 0 || bytes[1] == 0) ? Encoding.Unicode.GetString(bytes) + Encoding.BigEndianUnicode.GetString(bytes) : string.Empty;
            return asUtf8.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) >= 0
                || asUtf16.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }
}
