using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Text;
using PostureSync.Core.Acl;
using PostureSync.Core.Config;
using PostureSync.Core.Dart;
using PostureSync.Fuzz;
using Xunit;

namespace PostureSync.Core.Tests.Reliability
{
    /// <summary>
    /// One regression test per class of defect the reliability fuzzing found (issue 15), each on its saved input in
    /// tests/Fixtures/Fuzz and on a generated member of the same class. What is asserted is the outcome a user sees (a
    /// result or a PostureSyncException with its ErrorId) and, where the defect was memory, the bytes allocated: a
    /// count that does not depend on how busy the machine is. Time bounds live in the fuzzer and the benchmarks.
    /// </summary>
    public sealed class BoundedInputTests : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "posturesync-bounds-" + Guid.NewGuid().ToString("N"));

        public BoundedInputTests() => Directory.CreateDirectory(folder);

        public void Dispose() => Directory.Delete(folder, recursive: true);

        [Theory]
        [InlineData("AnyConnect_ISEPosture.txt.\u0661", 1)]
        [InlineData("AnyConnect_ISEPosture.txt.\u0968\u0968", 1)]
        [InlineData("AnyConnect_ISEPosture.txt.\uff13", 1)]
        [InlineData("AnyConnect_ISEPosture.txt.12", 12)]
        [InlineData("AnyConnect_ISEPosture.txt.99999999999999999999", 999999999)]
        public void RotationAgeReadsAsciiDigitsOnly(string name, int age)
        {
            Assert.Equal(age, DartSyncEventReader.RotationAge(name));
        }

        [Fact]
        public void ABundleWithANonAsciiDigitRotationSuffixReadsEveryLog()
        {
            string bundle = Save("unicode.zip", Fixture("log-bundle", "unicode-digit-rotation.zip"));

            var failures = new List<PostureSyncException>();
            List<DartSyncEvent> events = new DartSyncEventReader(new DartSyncEventQuery { All = true }) { Failure = failures.Add }.Read(bundle).ToList();

            Assert.Empty(failures);
            Assert.Equal(3, events.Select(e => e.LogPath).Distinct().Count());
        }

        [Fact]
        public void AFolderWithANonAsciiDigitRotationSuffixReadsEveryLog()
        {
            string log = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dart", "AnyConnect_ISEPosture.windows.txt"));
            File.WriteAllText(Path.Combine(folder, "AnyConnect_ISEPosture.txt"), log);
            File.WriteAllText(Path.Combine(folder, "AnyConnect_ISEPosture.txt.\u0661"), log);

            List<DartSyncEvent> events = new DartSyncEventReader(new DartSyncEventQuery()).Read(folder).ToList();

            Assert.Equal(2, events.Select(e => e.LogPath).Distinct().Count());
        }

        [Fact]
        public void ADeeplyNestedProfileIsRefusedBeforeATreeIsBuilt()
        {
            PostureSyncException ex = Assert.Throws<PostureSyncException>(() =>
                ProfileDocument.Parse(Fixture("profile", "deep-nesting.xml"), "deep.xml", null, "test", null));

            Assert.Equal("ConfigXmlTooDeep", ex.ErrorId);
            Assert.Contains(ProfileDocument.MaxXmlDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " levels", ex.Message);
        }

        [Fact]
        public void ADeeplyNestedProfileInABundleIsOneReportedError()
        {
            string bundle = Save("deep.zip", Fixture("profile-bundle", "deep-nesting.zip"));

            var errors = new List<PostureSyncException>();
            Assert.Empty(PostureProfileReader.ReadPath(bundle, errors.Add).ToList());

            Assert.Equal("ConfigXmlTooDeep", Assert.Single(errors).ErrorId);
        }

        [Fact]
        public void AProfileAtTheDepthBoundIsStillRead()
        {
            string nested = string.Concat(Enumerable.Repeat("<x>", ProfileDocument.MaxXmlDepth - 1)) + string.Concat(Enumerable.Repeat("</x>", ProfileDocument.MaxXmlDepth - 1));
            string xml = "<cfg xmlns=\"" + PostureProfileReader.CiscoNamespace + "\"><StateSyncProbeInterval>30</StateSyncProbeInterval>" + nested + "</cfg>";

            PostureSyncConfig config = ProfileDocument.Parse(Encoding.UTF8.GetBytes(xml), "ok.xml", null, "test", null);

            Assert.Equal(30, config.StateSyncProbeInterval);
        }

        [Theory]
        [InlineData("log-bundle")]
        [InlineData("profile-bundle")]
        public void DirectoryRecordsSharingOneEntryAreRefused(string target)
        {
            string bundle = Save("shared.zip", Fixture(target, "shared-entry-records.zip"));

            PostureSyncException ex = ReadBundle(target, bundle);

            Assert.Equal("DartBundleInvalid", ex.ErrorId);
            Assert.Contains("same entry data", ex.Message);
        }

        [Fact]
        public void OverlappingEntriesAreRefused()
        {
            byte[] zip = FuzzTargets.Bundle(Encoding.UTF8.GetBytes("<cfg/>"), Encoding.UTF8.GetBytes(new string('x', 5000)));

            // The second record's local header offset moved into the first entry's data.
            int end = LastIndexOf(zip, 0x06054b50);
            int directory = BitConverter.ToInt32(zip, end + 16);
            int second = directory + 46 + BitConverter.ToUInt16(zip, directory + 28) + BitConverter.ToUInt16(zip, directory + 30) + BitConverter.ToUInt16(zip, directory + 32);
            BitConverter.GetBytes(BitConverter.ToInt32(zip, directory + 42) + 10).CopyTo(zip, second + 42);

            PostureSyncException ex = ReadBundle("log-bundle", Save("overlap.zip", zip));

            Assert.Equal("DartBundleInvalid", ex.ErrorId);
            Assert.Contains("overlapping", ex.Message);
        }

        [Fact]
        public void MoreDirectoryRecordsThanABundleHasAreRefusedUnread()
        {
            byte[] zip = Mutator.DuplicateRecords(FuzzTargets.Bundle(null, Encoding.UTF8.GetBytes("x")), DartBundle.MaxEntries + 5);

            PostureSyncException ex = ReadBundle("log-bundle", Save("many.zip", zip));

            Assert.Equal("DartBundleTooLarge", ex.ErrorId);
            Assert.Contains("entries", ex.Message);
        }

        [Fact]
        public void ManySmallEntriesTogetherStopAtTheBundleBound()
        {
            // Each log is under the per-entry floor, so only the bundle's total (100x its size) can stop them.
            var buffer = new MemoryStream();
            using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                for (int i = 0; i < 40; i++)
                {
                    using Stream entry = archive.CreateEntry("logs/AnyConnect_ISEPosture.txt." + i, CompressionLevel.Optimal).Open();
                    byte[] zeros = new byte[900 * 1024];
                    entry.Write(zeros, 0, zeros.Length);
                }
            }

            string bundle = Save("small-bombs.zip", buffer.ToArray());
            Assert.True(new FileInfo(bundle).Length * DartBundle.MaxExpansionRatio < 40L * 900 * 1024, "the fixture must exceed the bundle bound");

            var failures = new List<PostureSyncException>();
            _ = new DartSyncEventReader(new DartSyncEventQuery { All = true }) { Failure = failures.Add }.Read(bundle).ToList();

            Assert.Contains(failures, f => f.ErrorId == "DartBundleTooLarge" && f.Message.Contains("together", StringComparison.Ordinal));
        }

        [Fact]
        public void TenThousandIdenticalAcesAreCheckedWithinTheWorkBoundAndAFewMegabytes()
        {
            string text = Encoding.UTF8.GetString(Fixture("dacl", "identical-aces.txt"));
            var psns = new[] { new PsnTarget("10.1.1.1", IPAddress.Parse("10.1.1.1")) };
            AclDocument document = AclParser.Parse(text, AclInputFormat.Dacl, "-Content");

            long before = GC.GetAllocatedBytesForCurrentThread();
            IReadOnlyList<DaclListCheck> checks = DaclEvaluator.Check(document.Lists, psns, 8449, null);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(DaclVerdicts.Pass, Assert.Single(Assert.Single(checks).Results).Verdict);
            Assert.True(allocated < 64L * 1024 * 1024, "the check allocated " + allocated + " bytes (it was 1.1 GB)");
        }

        [Fact]
        public void FindingsPerListAreCappedAndTheRestCounted()
        {
            string text = string.Concat(Enumerable.Repeat("permit tcp any host 10.9.9.9 eq 80\n", 3000)) + "permit ip any any\n";
            AclList list = Assert.Single(AclParser.Parse(text, AclInputFormat.Dacl, "-Content").Lists);

            IReadOnlyList<string> findings = AclLinter.Lint(list, Array.Empty<PsnTarget>(), 8449);

            Assert.Equal(AclLinter.MaxLineFindings, findings.Count(f => f.StartsWith("ACL001", StringComparison.Ordinal)));
            Assert.Contains(findings, f => f.StartsWith("ACL016 Information: 1,999 more", StringComparison.Ordinal));
        }

        [Fact]
        public void TextOverTheCapIsOneErrorThatSaysWhy()
        {
            string text = string.Concat(Enumerable.Repeat("deny ip any any\n", (AclParser.MaxChars / 16) + 1));

            AclDocument document = AclParser.Parse(text, AclInputFormat.Dacl, "-Content");

            AclSyntaxError error = Assert.Single(document.Errors);
            Assert.Contains("held in memory", error.Expected);
            Assert.Empty(document.Lists);
        }

        [Fact]
        public void TheLargestAcceptedDaclKeepsAFewHundredBytesPerAce()
        {
            // The shortest ACE, as many as the cap allows: the worst case for memory per character.
            string text = string.Concat(Enumerable.Repeat("deny ip any any\n", (AclParser.MaxChars / 16) - 1));
            long before = GC.GetTotalMemory(forceFullCollection: true);

            AclDocument document = AclParser.Parse(text, AclInputFormat.Dacl, "-Content");
            long held = GC.GetTotalMemory(forceFullCollection: true) - before;

            int aces = Assert.Single(document.Lists).Lines.Count;
            Assert.Equal((AclParser.MaxChars / 16) - 1, aces);
            Assert.True(held / aces < 400, "each ACE holds " + (held / aces) + " bytes");
        }

        [Fact]
        public void ListCountIsCappedAndTheCheckStaysLinearInIt()
        {
            string text = string.Concat(Enumerable.Range(0, AclParser.MaxLists + 500).Select(i => "Extended IP access list L" + i + "\n"));
            AclDocument document = AclParser.Parse(text, AclInputFormat.ShowAccessList, "-Content");
            var psns = new[] { new PsnTarget("2001:db8::8", IPAddress.Parse("2001:db8::8")) };

            long before = GC.GetAllocatedBytesForCurrentThread();
            IReadOnlyList<DaclListCheck> checks = DaclEvaluator.Check(document.Lists, psns, 8449, null);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(AclParser.MaxLists, document.Lists.Count);
            Assert.Contains("rest were not read", Assert.Single(document.Errors).Expected);
            Assert.All(checks, c => Assert.Equal(DaclVerdicts.Warn, Assert.Single(c.Results).Verdict));
            Assert.True(allocated / AclParser.MaxLists < 16 * 1024, "each list cost " + (allocated / AclParser.MaxLists) + " bytes");
        }

        private static PostureSyncException ReadBundle(string target, string bundle)
        {
            var errors = new List<PostureSyncException>();
            if (target == "profile-bundle")
            {
                try
                {
                    _ = PostureProfileReader.ReadPath(bundle, errors.Add).ToList();
                }
                catch (PostureSyncException ex)
                {
                    errors.Add(ex);
                }
            }
            else
            {
                _ = new DartSyncEventReader(new DartSyncEventQuery()) { Failure = errors.Add }.Read(bundle).ToList();
            }

            return Assert.Single(errors);
        }

        private static int LastIndexOf(byte[] data, uint signature)
        {
            for (int i = data.Length - 4; i >= 0; i--)
            {
                if (BitConverter.ToUInt32(data, i) == signature)
                {
                    return i;
                }
            }

            throw new InvalidDataException("no end record");
        }

        internal static byte[] Fixture(string target, string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Fuzz", target, name));

        private string Save(string name, byte[] content)
        {
            string path = Path.Combine(folder, name);
            File.WriteAllBytes(path, content);
            return path;
        }
    }
}
