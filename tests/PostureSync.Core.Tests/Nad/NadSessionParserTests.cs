using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PostureSync.Core.Nad;
using Xunit;

namespace PostureSync.Core.Tests.Nad
{
    public sealed class NadSessionParserTests
    {
        private static List<NadSession> ReadFixture(string name) =>
            NadSessionReader.ReadFile(FixturePaths.Of("Nad", name), new NadSessionParser(name)).ToList();

        private static List<NadSession> ReadText(string text, NadSessionParser? parser = null) =>
            NadSessionReader.ReadText(text, parser ?? new NadSessionParser("-Content")).ToList();

        [Fact]
        public void ReadsTheSeedTechNotesMarkdownCopy()
        {
            NadSession session = Assert.Single(ReadFixture("seed-technote.session.md"));

            Assert.Equal("avakhrus_3560C", session.Device);
            Assert.Equal("FastEthernet0/12", session.Interface);
            Assert.Equal("0050.56a8.be02", session.MacAddress);
            Assert.Equal("192.168.255.193", session.IPv4Address);
            Assert.Empty(session.IPv6Address);
            Assert.Equal(@"TRAINING\bob", session.UserName);
            Assert.Equal("Authorized", session.Status);
            Assert.Equal("DATA", session.Domain);
            Assert.Equal("multi-auth", session.HostMode);
            Assert.Equal("C0A8FF0C00000012679EAF14", session.SessionId);
            Assert.Equal(new[] { "xACSACLx-IP-avakhrus_posture_probe_ACL-636b75ac" }, session.AcsAcl);
            Assert.Equal(new[] { "avakhrus_posture_probe_ACL" }, session.DaclName);
            Assert.Equal(new[] { "636b75ac" }, session.DaclVersion);
            Assert.Equal(new DateTime(2022, 11, 9, 9, 41, 0, DateTimeKind.Utc), session.DaclVersionTime);
            Assert.Equal(DateTimeKind.Utc, session.DaclVersionTime!.Value.Kind);
            Assert.Equal(new[] { "mab: Stopped", "dot1x: Authc Success" }, session.Methods);
            Assert.Contains("Service Template: DEFAULT_LINKSEC_POLICY_SHOULD_SECURE (priority 150)", session.OtherFields);
            Assert.Contains("Current Policy: POLICY_Fa0/12", session.OtherFields);
            Assert.Null(session.UrlRedirectAcl);
        }

        [Fact]
        public void ReadsTheIosXeLayoutWithSectionsSeparatorsAndTwoSessionsOnOnePort()
        {
            List<NadSession> sessions = ReadFixture("show-access-session.iosxe.txt");

            Assert.Equal(new[] { "GigabitEthernet1/0/2", "GigabitEthernet1/0/2", "GigabitEthernet1/0/5", "GigabitEthernet1/0/6", "GigabitEthernet1/0/7" },
                sessions.Select(s => s.Interface));
            Assert.All(sessions, s => Assert.Equal("access-sw1", s.Device));

            NadSession first = sessions[0];
            Assert.Equal(new[] { "FE80::F17E:7D9B:8BD4:9D95", "2001:DB8:10::25" }, first.IPv6Address);
            Assert.Equal("194", first.Vlan);
            Assert.Equal("4", first.Sgt);
            Assert.Equal(new[] { "xACSACLx-IP-Compliant_Access-669eaa40", "xACSACLx-IPV6-Compliant_Access-669eaa28" }, first.AcsAcl);
            Assert.Equal(new[] { "Compliant_Access" }, first.DaclName);
            Assert.Equal(new[] { "669eaa40", "669eaa28" }, first.DaclVersion);
            Assert.Equal(new[] { "dot1x: Authc Success", "mab: Stopped" }, first.Methods);
            Assert.Contains("Security Policy: Should Secure", first.OtherFields);

            NadSession redirected = sessions[1];
            Assert.Equal("ACL_WEBAUTH_REDIRECT", redirected.UrlRedirectAcl);
            Assert.StartsWith("https://ise-psn1.example.test:8443/portal/gateway?sessionId=0A0A0A0B0000001A3CD88D10&portal=", redirected.UrlRedirect);
            Assert.Equal(new[] { "Posture_Pending" }, redirected.DaclName);

            NadSession critical = sessions[2];
            Assert.Empty(critical.AcsAcl);
            Assert.Null(critical.DaclVersionTime);
            Assert.Null(critical.UserName);
            Assert.Equal("999", critical.Vlan);
            Assert.Equal(new[] { "dot1x: Authc Failed", "mab: Stopped" }, critical.Methods);

            NadSession voice = sessions[3];
            Assert.Empty(voice.AcsAcl);
            Assert.Equal("VOICE", voice.Domain);
            Assert.Equal("16", voice.Sgt);
            Assert.Contains("Interface Template: VOICE_TEMPLATE", voice.OtherFields);

            // The Resultant Policies repeat the Server Policies: one list, once.
            Assert.Equal(new[] { "xACSACLx-IP-Compliant_Access-64a351c6" }, sessions[4].AcsAcl);
        }

        [Fact]
        public void ReadsTheIos15InlineLayoutWithNoSeparatorBetweenSessions()
        {
            List<NadSession> sessions = ReadFixture("show-authentication-sessions.ios15.txt");

            Assert.Equal(2, sessions.Count);
            NadSession phone = sessions[0];
            Assert.Equal("Switch-15", phone.Device);
            Assert.Equal("10.20.30.41", phone.IPv4Address);
            Assert.Equal("Authz Success", phone.Status);
            Assert.Null(phone.Vlan);
            Assert.Equal(new[] { "legacy_TC9_permit_user_CP-7970G-SEP000E83E53398" }, phone.DaclName);
            Assert.Equal(new[] { "63ced261" }, phone.DaclVersion);
            Assert.Equal(new[] { "mab: Authc Success", "dot1x: Not run" }, phone.Methods);
            Assert.Contains("Authorized By: Authentication Server", phone.OtherFields);

            NadSession pc = sessions[1];
            Assert.Equal("0050.56a8.1c3d", pc.MacAddress);
            Assert.Equal("20", pc.Vlan);
            Assert.Equal("0010-0", pc.Sgt);
            Assert.Equal(@"CORP\alice", pc.UserName);
            Assert.Equal(new DateTime(2016, 10, 6, 20, 15, 15, DateTimeKind.Utc), pc.DaclVersionTime);
        }

        [Fact]
        public void ReadsAMarkdownPasteWithAHostlessPromptAWrappedCommandAndNoFinalNewline()
        {
            NadSession session = Assert.Single(ReadFixture("pasted.markdown.txt"));

            Assert.Null(session.Device);
            Assert.Equal("GigabitEthernet2/0/14", session.Interface);
            Assert.Equal("a4bb.6d11.2233", session.MacAddress);
            Assert.Equal("host/lab-pc07.corp.example", session.UserName);
            Assert.Equal(new[] { "xACSACLx-IP-avakhrus_posture_probe_ACL-636b75ac" }, session.AcsAcl);
            Assert.Equal(new[] { "dot1x: Authc Success" }, session.Methods);
        }

        [Fact]
        public void FlushLeftKeysTwoAcsAclLinesAndAVlanGroupWithASecondColon()
        {
            const string text = "Interface: Gi1/0/9\nMAC Address: 0011.2233.4455\nStatus: Authorized\n\nServer Policies:\n"
                + "Vlan Group:  Vlan: 30\nACS ACL: xACSACLx-IP-A-5f152814\nACS ACL: xACSACLx-IP-B-Extra-636b75ac\n"
                + "Filter-ID: PREAUTH\nMethod status list:\nMethod State\ndot1x Authc Success\n";

            NadSession session = Assert.Single(ReadText(text));

            Assert.Equal("30", session.Vlan);
            Assert.Equal(new[] { "A", "B-Extra" }, session.DaclName);
            Assert.Equal(new DateTime(2020, 7, 20, 5, 13, 56, DateTimeKind.Utc), session.DaclVersionTime);
            Assert.Contains("Filter-ID: PREAUTH", session.OtherFields);
        }

        [Fact]
        public void AMarkdownTableOfMethodsAndAQuotedPasteAreRead()
        {
            const string text = "> Interface:  Gi1/0/3\r\n> MAC Address:  0011.2233.4466\r\n> Method status list:\r\n"
                + "| Method | State |\r\n|---|---|\r\n| dot1x | Authc Success |\r\n| mab | Stopped |\r\n";

            NadSession session = Assert.Single(ReadText(text));

            Assert.Equal("Gi1/0/3", session.Interface);
            Assert.Equal(new[] { "dot1x: Authc Success", "mab: Stopped" }, session.Methods);
        }

        [Fact]
        public void ANameWithNoVersionSuffixIsItsOwnDaclNameWithNoTime()
        {
            NadSession session = Assert.Single(ReadText("Interface: Gi1/0/1\nACS ACL: LOCAL_PERMIT\n"));

            Assert.Equal(new[] { "LOCAL_PERMIT" }, session.DaclName);
            Assert.Empty(session.DaclVersion);
            Assert.Null(session.DaclVersionTime);
        }

        [Fact]
        public void ThePromptBeforeEachSessionNamesItsDevice()
        {
            const string text = "sw-a#show access-session int gi1/0/1 details\nInterface: Gi1/0/1\nMAC Address: 0011.2233.4455\n"
                + "sw-b(config)#do show access-session int gi1/0/1 details\nInterface: Gi1/0/1\nMAC Address: 0011.2233.4456\n";

            Assert.Equal(new[] { "sw-a", "sw-b" }, ReadText(text).Select(s => s.Device));
        }

        [Theory]
        [InlineData("")]
        [InlineData("just some words\nand: a colon\nStatus: Authorized\n")]
        [InlineData("Switch#show access-lists\nExtended IP access list xACSACLx-IP-A-5f152814 (per-user)\n    1 permit ip any any\n")]
        public void TextWithoutASessionGivesNoSession(string text)
        {
            var parser = new NadSessionParser("-Content");

            Assert.Empty(ReadText(text, parser));
            Assert.Equal(0, parser.SessionCount);
            Assert.Equal("NadSessionNotFound", NadSessionReader.NotFound("-Content", parser).ErrorId);
        }

        [Fact]
        public void TheSummaryTableWithoutDetailsIsNamedInTheError()
        {
            var parser = new NadSessionParser("-Content");
            ReadText("Switch#show access-session\nInterface                MAC Address    Method  Domain  Status Fg  Session ID\n"
                + "--------------------------------------------------------------------------------------------\n"
                + "Gi1/0/2                  0050.5684.2f1e dot1x   DATA    Auth        0A0A0A0B000000193CD88C59\n", parser);

            PostureSyncException error = NadSessionReader.NotFound("-Content", parser);
            Assert.Contains("summary table", error.Message);
            Assert.Contains("details", error.RecommendedAction);
        }

        [Fact]
        public void BinaryInputIsReportedAsNotText()
        {
            var parser = new NadSessionParser("x.bin");
            ReadText("\0\0\u0001PK\0Interface:\0", parser);

            Assert.Contains("not text", NadSessionReader.NotFound("x.bin", parser).Message);
        }

        [Fact]
        public void LinesAndRepeatsAreBounded()
        {
            var text = new StringBuilder("Interface: Gi1/0/1\nUser-Name: ").Append('u', 100_000).Append('\n');
            for (int i = 0; i < 1000; i++)
            {
                text.Append("Key").Append(i).Append(": v\n");
            }

            NadSession session = Assert.Single(ReadText(text.ToString()));

            Assert.Equal(NadSessionParser.MaxLineLength - "User-Name: ".Length, session.UserName!.Length);
            Assert.Equal(NadSessionParser.MaxRepeats, session.OtherFields.Length);
        }

        [Fact]
        public void AFileOverTheBoundIsRefusedBeforeReading()
        {
            string path = Path.Combine(Path.GetTempPath(), "psync-nad-" + Guid.NewGuid() + ".txt");
            try
            {
                using (FileStream stream = File.Create(path))
                {
                    stream.SetLength(NadSessionReader.MaxBytes + 1);
                }

                PostureSyncException error = Assert.Throws<PostureSyncException>(() => NadSessionReader.ReadFile(path, new NadSessionParser(path)).ToList());
                Assert.Equal("NadSessionTooLarge", error.ErrorId);
                Assert.Equal("NadSessionPathIsFolder",
                    Assert.Throws<PostureSyncException>(() => NadSessionReader.ReadFile(Path.GetTempPath(), new NadSessionParser("t")).ToList()).ErrorId);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
