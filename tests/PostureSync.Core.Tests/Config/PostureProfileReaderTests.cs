using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using PostureSync.Core.Config;
using PostureSync.Core.Platform;
using Xunit;

namespace PostureSync.Core.Tests.Config
{
    public sealed class PostureProfileReaderTests : IDisposable
    {
        private readonly string temp = Directory.CreateTempSubdirectory("psync-config-").FullName;

        public void Dispose() => Directory.Delete(temp, recursive: true);

        private static PostureSyncConfig Read(string fixture) => PostureProfileReader.ReadFile(FixturePaths.Of("Config", fixture));

        private static PostureSyncException Fails(string fixture) => Assert.Throws<PostureSyncException>(() => Read(fixture));

        [Fact]
        public void RealWorldOneLineProfileWithSyncDisabled()
        {
            PostureSyncConfig config = Read("ISEPostureCFG.realworld.xml");

            Assert.Equal("PostureProfile", config.ProfileName);
            Assert.False(config.StateSyncEnabled);
            Assert.Equal("Disabled", config.StateSyncStatus);
            Assert.Equal(0, config.StateSyncProbeInterval);
            Assert.Empty(config.StateSyncProbeList);
            Assert.Equal(new[] { "172.21.254.7:8443", "10.0.20.11:8443" }, config.CallHomeList);
            Assert.Equal(3, config.NetworkTransitionDelay);
            Assert.Equal(3, config.DartCount);
            Assert.Equal(5, config.LogFileSize);
            Assert.Equal("4", config.Settings["RemediationTimer"]);
            Assert.Contains(config.Findings, f => f.StartsWith("PSC001 Error: StateSyncProbeInterval is 0", StringComparison.Ordinal));
            Assert.Contains(config.Findings, f => f.StartsWith("PSC003 Warning:", StringComparison.Ordinal) && f.Contains("CSCwd58316"));
            Assert.Contains(config.Findings, f => f.StartsWith("PSC004 Information:", StringComparison.Ordinal));
            Assert.DoesNotContain(config.Findings, f => f.StartsWith("PSC006", StringComparison.Ordinal));
        }

        [Fact]
        public void EmptyProbeListFallsBackToDiscoveryHostAndCallHomeHostsWithoutPorts()
        {
            PostureSyncConfig config = Read("ISEPostureCFG.realworld.xml");

            // DiscoveryHost is empty in the sample; the call-home hosts remain, ports stripped.
            Assert.Equal(new[] { "172.21.254.7", "10.0.20.11" }, config.ProbeTargets);
        }

        [Fact]
        public void PrettyPrintedEnabledProfile()
        {
            PostureSyncConfig config = Read("enabled.pretty.xml");

            Assert.True(config.StateSyncEnabled);
            Assert.Equal("Enabled", config.StateSyncStatus);
            Assert.Equal(30, config.StateSyncProbeInterval);
            Assert.Equal(new[] { "psn1.example.test", "psn2.example.test", "psn3.example.test:8449" }, config.StateSyncProbeList);
            Assert.Equal(new[] { "psn1.example.test", "psn2.example.test", "psn3.example.test:8449" }, config.ProbeTargets);
            Assert.Equal("psn1.example.test", config.DiscoveryHost);
            string written = Assert.Single(config.Findings);
            Assert.StartsWith("PSC009 Information: StateSyncProbeList entry 'psn3.example.test:8449' writes port 8449, the agent's probe port [doc]", written, StringComparison.Ordinal);
            Assert.Contains("not documented [inferred]", written, StringComparison.Ordinal);
        }

        [Fact]
        public void ReorderedOneLineProfileWithIpv6InBrackets()
        {
            PostureSyncConfig config = Read("reordered.oneline.xml");

            Assert.Equal(300, config.StateSyncProbeInterval);
            Assert.Equal("Enabled", config.StateSyncStatus);
            Assert.Equal(new[] { "10.1.1.1", "[2001:db8::5]:8449", "psn9.example.test" }, config.ProbeTargets);
            Assert.Equal(12, config.NetworkTransitionDelay);
        }

        [Fact]
        public void PartialProfileIsDisabledAndSaysWhy()
        {
            PostureSyncConfig config = Read("partial.xml");

            Assert.Equal("Disabled", config.StateSyncStatus);
            Assert.Null(config.NetworkTransitionDelay);
            Assert.Empty(config.ProbeTargets);
            Assert.Contains(config.Findings, f => f.StartsWith("PSC001", StringComparison.Ordinal) && f.Contains("missing"));
            Assert.Contains(config.Findings, f => f.StartsWith("PSC003", StringComparison.Ordinal) && f.Contains("not set"));
        }

        [Theory]
        [InlineData("ten", "'ten' is not a number")]
        [InlineData("10s", "'10s' is not a number")]
        public void NetworkTransitionDelayThatIsNotANumberSaysSoNotThatItIsUnset(string written, string expected)
        {
            string text = File.ReadAllText(FixturePaths.Of("Config", "enabled.pretty.xml"))
                .Replace("<NetworkTransitionDelay>10</NetworkTransitionDelay>", "<NetworkTransitionDelay>" + written + "</NetworkTransitionDelay>");
            string path = Path.Combine(Path.GetTempPath(), "posturesync-ntd-" + Guid.NewGuid().ToString("N") + ".xml");
            File.WriteAllText(path, text);
            try
            {
                PostureSyncConfig config = PostureProfileReader.ReadFile(path);

                Assert.Null(config.NetworkTransitionDelay);
                string finding = Assert.Single(config.Findings, f => f.StartsWith("PSC003", StringComparison.Ordinal));
                Assert.Contains(expected, finding);
                Assert.DoesNotContain("not set", finding);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Theory]
        [InlineData("invalid-interval.xml", null)]
        [InlineData("out-of-range.xml", 301)]
        public void IntervalThatIsNotANumberOrOutOfRangeIsInvalid(string fixture, int? interval)
        {
            PostureSyncConfig config = Read(fixture);

            Assert.Equal("Invalid", config.StateSyncStatus);
            Assert.False(config.StateSyncEnabled);
            Assert.Equal(interval, config.StateSyncProbeInterval);
            Assert.Contains(config.Findings, f => f.StartsWith("PSC002 Error:", StringComparison.Ordinal));
        }

        [Fact]
        public void RootWithoutNamespaceIsReadAndNotedAndBadEntriesAreNamed()
        {
            PostureSyncConfig config = Read("no-namespace.xml");

            Assert.Equal("Enabled", config.StateSyncStatus);
            Assert.Contains(config.Findings, f => f.StartsWith("PSC006 Information:", StringComparison.Ordinal));
            Assert.Contains(config.Findings, f => f.StartsWith("PSC005 Warning:", StringComparison.Ordinal) && f.Contains("'!'") == false && f.Contains("70000"));
            // "bad host!" holds a space: one bad entry, not the two targets "bad" and "host!".
            Assert.Contains(config.Findings, f => f.StartsWith("PSC007 Error: StateSyncProbeList entry 'bad host!' holds a space", StringComparison.Ordinal));
            Assert.Equal(new[] { "psn1" }, config.ProbeTargets);
        }

        [Fact]
        public void AProbeListEntryWithASpaceIsAnErrorAndAWrittenPortOtherThan8449IsNamed()
        {
            string file = Path.Combine(temp, "ISEPostureCFG.xml");
            File.WriteAllText(file, "<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><StateSyncProbeInterval>30</StateSyncProbeInterval>"
                + "<StateSyncProbeList>psn1.example.test psn2.example.test;\n psn3.example.test:8449 , [2001:db8::9]:8905</StateSyncProbeList></cfg>");

            PostureSyncConfig config = PostureProfileReader.ReadFile(file);

            Assert.Equal(new[] { "psn1.example.test psn2.example.test", "psn3.example.test:8449", "[2001:db8::9]:8905" }, config.StateSyncProbeList);
            Assert.Equal(new[] { "psn3.example.test:8449", "[2001:db8::9]:8905" }, config.ProbeTargets);
            Assert.StartsWith("PSC007 Error: StateSyncProbeList entry 'psn1.example.test psn2.example.test' holds a space", config.Findings[0], StringComparison.Ordinal);
            string port = Assert.Single(config.Findings, f => f.StartsWith("PSC008", StringComparison.Ordinal));
            Assert.StartsWith("PSC008 Warning: StateSyncProbeList entry '[2001:db8::9]:8905' writes port 8905, not the agent's probe port 8449 [doc].", port, StringComparison.Ordinal);
            Assert.Contains("ProbeTargets keeps the entry as written, so Test-PostureSyncPort tests port 8905 on it", port, StringComparison.Ordinal);
            Assert.Contains("pass -Port 8905", port, StringComparison.Ordinal);
            Assert.Contains("not documented [inferred]", port, StringComparison.Ordinal);
        }

        [Fact]
        public void DiscoveryHostWithPortOrSeveralHostsFeedsTheFallbackTargets()
        {
            string file = Path.Combine(temp, "ISEPostureCFG.xml");
            File.WriteAllText(file, "<cfg xmlns='http://www.cisco.com/nac/agent/config-1.0'><StateSyncProbeInterval>30</StateSyncProbeInterval>"
                + "<DiscoveryHost>psn1.example.test:8443; psn2.example.test bad!host</DiscoveryHost><CallHomeList>psn2.example.test:8443</CallHomeList></cfg>");

            PostureSyncConfig config = PostureProfileReader.ReadFile(file);

            Assert.Equal(new[] { "psn1.example.test", "psn2.example.test" }, config.ProbeTargets);
            Assert.Contains(config.Findings, f => f.StartsWith("PSC005 Warning: DiscoveryHost entry 'bad!host'", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("utf8-bom.xml")]
        [InlineData("utf16le-bom.xml")]
        [InlineData("utf16be-bom.xml")]
        [InlineData("utf16le-nobom.xml")]
        public void EncodingsWithAndWithoutBom(string fixture)
        {
            PostureSyncConfig config = Read(fixture);

            Assert.Equal("Corp-Posture-StateSync", config.ProfileName);
            Assert.Equal(30, config.StateSyncProbeInterval);
        }

        [Theory]
        [InlineData("truncated.xml", "ConfigXmlInvalid")]
        [InlineData("junk.bin", "ConfigXmlInvalid")]
        [InlineData("empty.xml", "ConfigEmpty")]
        [InlineData("not-posture.xml", "ConfigNotPosture")]
        [InlineData("dtd-xxe.xml", "ConfigDtdProhibited")]
        [InlineData("dtd-billion-laughs.xml", "ConfigDtdProhibited")]
        public void HostileAndBrokenFilesFailWithTheirErrorId(string fixture, string errorId)
        {
            PostureSyncException ex = Fails(fixture);

            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(FixturePaths.Of("Config", fixture), ex.Target);
            Assert.NotNull(ex.RecommendedAction);
        }

        [Fact]
        public void MalformedXmlNamesLineAndColumn()
        {
            PostureSyncException ex = Fails("truncated.xml");

            Assert.Matches(@"line \d+, column \d+", ex.Message);
        }

        [Fact]
        public void FileOverOneMegabyteIsRefusedUnread()
        {
            string big = Path.Combine(temp, "ISEPostureCFG.xml");
            File.WriteAllText(big, "<cfg>" + new string(' ', PostureProfileReader.MaxProfileBytes) + "</cfg>");

            PostureSyncException ex = Assert.Throws<PostureSyncException>(() => PostureProfileReader.ReadFile(big));

            Assert.Equal("ConfigTooLarge", ex.ErrorId);
        }

        [Fact]
        public void FolderAndIsePostureSubfolderAreSearched()
        {
            string sub = Directory.CreateDirectory(Path.Combine(temp, "ISE Posture")).FullName;
            File.Copy(FixturePaths.Of("Config", "enabled.pretty.xml"), Path.Combine(sub, "ISEPostureCFG.xml"));

            var errors = new List<PostureSyncException>();
            PostureSyncConfig config = Assert.Single(PostureProfileReader.ReadPath(temp, errors.Add));

            Assert.Empty(errors);
            Assert.Equal(Path.Combine(sub, "ISEPostureCFG.xml"), config.Path);
            Assert.Null(config.BundlePath);
        }

        [Fact]
        public void ExtractedBundleFolderYieldsEveryProfileBelowItInOrder()
        {
            string secure = Directory.CreateDirectory(Path.Combine(temp, "DART", "Cisco Secure Client", "ISE Posture")).FullName;
            string anyConnect = Directory.CreateDirectory(Path.Combine(temp, "DART", "AnyConnect", "ISE Posture")).FullName;
            File.Copy(FixturePaths.Of("Config", "enabled.pretty.xml"), Path.Combine(secure, "ISEPostureCFG.xml"));
            File.Copy(FixturePaths.Of("Config", "partial.xml"), Path.Combine(anyConnect, "iseposturecfg.XML"));

            var errors = new List<PostureSyncException>();
            List<PostureSyncConfig> found = PostureProfileReader.ReadPath(temp, errors.Add).ToList();

            Assert.Empty(errors);
            Assert.Equal(new[] { ClientFamilies.AnyConnect4, ClientFamilies.SecureClient5 }, found.Select(c => c.ClientFamily));
        }

        [Fact]
        public void FolderWithoutAnyProfileIsConfigNotFound()
        {
            Directory.CreateDirectory(Path.Combine(temp, "empty", "deeper"));

            var errors = new List<PostureSyncException>();
            Assert.Empty(PostureProfileReader.ReadPath(temp, errors.Add));

            Assert.Equal("ConfigNotFound", Assert.Single(errors).ErrorId);
        }

        [Fact]
        public void ZipBundleYieldsEveryProfileAtAnyDepthAndReportsBadOnes()
        {
            string zip = Path.Combine(temp, "dart.zip");
            using (ZipArchive archive = ZipFile.Open(zip, ZipArchiveMode.Create))
            {
                archive.CreateEntryFromFile(FixturePaths.Of("Config", "enabled.pretty.xml"), "DART/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml");
                archive.CreateEntryFromFile(FixturePaths.Of("Config", "truncated.xml"), "DART/AnyConnect/ISE Posture/ISEPostureCFG.xml");
                archive.CreateEntryFromFile(FixturePaths.Of("Config", "partial.xml"), "DART/other.xml");
            }

            var errors = new List<PostureSyncException>();
            PostureSyncConfig config = Assert.Single(PostureProfileReader.ReadPath(zip, errors.Add));

            Assert.Equal(zip, config.BundlePath);
            Assert.Equal(zip + "!/DART/Cisco Secure Client/ISE Posture/ISEPostureCFG.xml", config.Path);
            Assert.Equal(ClientFamilies.SecureClient5, config.ClientFamily);
            Assert.Equal("ConfigXmlInvalid", Assert.Single(errors).ErrorId);
        }

        [Fact]
        public void CorruptZipIsDartBundleInvalid()
        {
            string zip = Path.Combine(temp, "broken.zip");
            File.WriteAllBytes(zip, Encoding.ASCII.GetBytes("PK\u0003\u0004 this is not really a zip"));

            PostureSyncException ex = Assert.Throws<PostureSyncException>(() => PostureProfileReader.ReadPath(zip, _ => { }).ToList());

            Assert.Equal("DartBundleInvalid", ex.ErrorId);
        }

        [Fact]
        public void InstalledProfilesAreFoundUnderBothClientFamiliesAndNoneIsAnErrorNamingEveryPlace()
        {
            var locations = new AgentLocations(OsPlatformKind.Linux, temp);
            var errors = new List<PostureSyncException>();

            Assert.Empty(PostureProfileReader.ReadInstalled(locations, errors.Add));
            PostureSyncException none = Assert.Single(errors);
            Assert.Equal("ConfigNotFound", none.ErrorId);
            Assert.Contains(Path.Combine(temp, "opt", "cisco", "secureclient", "iseposture", "ISEPostureCFG.xml"), none.Message);
            Assert.Contains(Path.Combine(temp, "opt", "cisco", "anyconnect", "iseposture", "ISEPostureCFG.xml"), none.Message);

            foreach (AgentPlace place in locations.ProfileDirectories)
            {
                Directory.CreateDirectory(place.Path);
                File.Copy(FixturePaths.Of("Config", "enabled.pretty.xml"), Path.Combine(place.Path, "ISEPostureCFG.xml"));
            }

            errors.Clear();
            List<PostureSyncConfig> found = PostureProfileReader.ReadInstalled(locations, errors.Add).ToList();
            Assert.Empty(errors);
            Assert.Equal(new[] { ClientFamilies.SecureClient5, ClientFamilies.AnyConnect4 }, found.Select(c => c.ClientFamily));
        }

        [Fact]
        public void WindowsPlacesAreUnderProgramData()
        {
            var locations = new AgentLocations(OsPlatformKind.Windows, @"C:\ProgramData");

            Assert.Equal(
                new[] { Path.Combine(@"C:\ProgramData", "Cisco", "Cisco Secure Client", "ISE Posture"), Path.Combine(@"C:\ProgramData", "Cisco", "Cisco AnyConnect Secure Mobility Client", "ISE Posture") },
                locations.ProfileDirectories.Select(p => p.Path));
        }

        [Theory]
        [InlineData("psn1", "psn1", null)]
        [InlineData("10.1.1.1:8449", "10.1.1.1", 8449)]
        [InlineData("[2001:db8::1]:8449", "2001:db8::1", 8449)]
        [InlineData("2001:db8::1", "2001:db8::1", null)]
        [InlineData("psn.example.test.", "psn.example.test.", null)]
        public void HostPortAcceptsTheWaysPsnsAreWritten(string text, string host, int? port)
        {
            Assert.True(Net.HostPort.TryParse(text, out Net.HostPort? value, out _));
            Assert.Equal(host, value!.Host);
            Assert.Equal(port, value.Port);
        }

        [Theory]
        [InlineData("")]
        [InlineData("host:0")]
        [InlineData("host:70000")]
        [InlineData("[10.1.1.1]:80")]
        [InlineData("[2001:db8::1")]
        [InlineData("bad_host!")]
        [InlineData("1.2.3.999")]
        [InlineData("-leading.example")]
        public void HostPortRejectsWhatIsNotAHost(string text)
        {
            Assert.False(Net.HostPort.TryParse(text, out _, out string? problem));
            Assert.False(string.IsNullOrEmpty(problem));
        }
    }
}
