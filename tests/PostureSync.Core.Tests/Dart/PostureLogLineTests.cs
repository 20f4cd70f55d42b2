using System;
using PostureSync.Core.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    public class PostureLogLineTests
    {
        private const string Full = "2022/11/09 12:22:47 [Information] aciseagent Function: PeriodicProbe::sessionSyncProbe Thread Id: 0x296C File: PeriodicProbe.cpp Line: 412 Level: info :: Probing PSN :: twice";

        private static string Part(PostureLogLine r, int start, int length) => r.Text(start, length) ?? "<none>";

        [Fact]
        public void FullRecordYieldsEveryField()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse(Full));
            r.ParseTail();

            Assert.Equal(new DateTime(2022, 11, 9, 12, 22, 47), r.Timestamp());
            Assert.Equal(DateTimeKind.Unspecified, r.Timestamp().Kind);
            Assert.Equal("Information", Part(r, r.SeverityStart, r.SeverityLength));
            Assert.Equal("aciseagent", Part(r, r.ProcessStart, r.ProcessLength));
            Assert.Equal("PeriodicProbe::sessionSyncProbe", Part(r, r.FunctionStart, r.FunctionLength));
            Assert.Equal("sessionSyncProbe", Part(r, r.MethodStart, r.MethodLength));
            Assert.True(r.ClassIs("PeriodicProbe"));
            Assert.Equal("0x296C", Part(r, r.ThreadStart, r.ThreadLength));
            Assert.Equal("PeriodicProbe.cpp", Part(r, r.FileStart, r.FileLength));
            Assert.Equal(412, r.SourceLineNumber());
            Assert.Equal("info", Part(r, r.LevelStart, r.LevelLength));
            Assert.Equal("Probing PSN :: twice", r.Text(r.MessageStart, r.LineStart + r.LineLength - r.MessageStart));
        }

        [Fact]
        public void RecordCutAfterFunctionHasNoTail()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse("2022/11/09 12:22:47 [Information] aciseagent Function: Authenticator::sendUIStatus"));
            r.ParseTail();

            Assert.Equal("sendUIStatus", Part(r, r.MethodStart, r.MethodLength));
            Assert.Equal(-1, r.ThreadStart);
            Assert.Equal(-1, r.FileStart);
            Assert.Null(r.SourceLineNumber());
            Assert.Equal(-1, r.LevelStart);
            Assert.Equal(-1, r.MessageStart);
        }

        [Fact]
        public void RecordCutInsideHeaderKeepsWhatIsThere()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse("2022/11/09 12:26:24 [Information] aciseagent Function: PeriodicProbe::ProcessMessage Thread Id: 0xC60 F"));
            r.ParseTail();

            Assert.Equal("0xC60", Part(r, r.ThreadStart, r.ThreadLength));
            Assert.Equal(-1, r.FileStart);
            Assert.Equal(-1, r.MessageStart);
        }

        [Fact]
        public void BareFunctionNameHasNoClass()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse("2023/03/02 08:15:09 [Information] aciseagent Function: sendUIStatus Thread Id: 0xDF55D000 File: SwiftManager.cpp Line: 186 Level: debug :: MSG_SU_STEP_STATUS, {Status:6,Compliant:3,...}"));

            Assert.False(r.HasClass);
            Assert.False(r.ClassIs("SwiftManager"));
            Assert.True(r.MethodIs("sendUIStatus"));
            Assert.True(r.SourceFileIs("SwiftManager.cpp"));
        }

        [Fact]
        public void NamespaceQualifiedFunctionMatchesItsClass()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse("2022/11/09 12:22:47 [Information] aciseagent Function: swift::PeriodicProbe::ProcessMessage :: x"));

            Assert.True(r.MethodIs("ProcessMessage"));
            Assert.True(r.ClassIs("PeriodicProbe"));
            Assert.False(r.ClassIs("Probe"));
        }

        [Fact]
        public void RecordWithoutFunctionKeepsTheRestAsMessage()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse("2022/11/09 12:22:47 [Warning] aciseagent Service starting"));

            Assert.Equal(-1, r.FunctionStart);
            Assert.Equal("Service starting", r.Text(r.MessageStart, r.LineStart + r.LineLength - r.MessageStart));
        }

        [Theory]
        [InlineData("")]
        [InlineData("HTTP/1.1 200 OK")]
        [InlineData("2022/11/09 12:22:47 Information aciseagent Function: x")]
        [InlineData("2022/13/09 12:22:47 [Information] aciseagent Function: x")]
        [InlineData("2023/02/29 12:22:47 [Information] aciseagent Function: x")]
        [InlineData("2022/11/09 24:00:00 [Information] aciseagent Function: x")]
        [InlineData("2022-11-09 12:22:47 [Information] aciseagent Function: x")]
        [InlineData("2022/11/09 12:22:47 [Informa")]
        [InlineData("2022/11/09 12:22:47 [] aciseagent")]
        public void NonRecordLinesAreRejected(string line)
        {
            Assert.False(new PostureLogLine().TryParse(line));
        }

        [Fact]
        public void LineInsideALargerBuffer()
        {
            char[] buffer = ("noise\n" + Full + "\nmore").ToCharArray();
            var r = new PostureLogLine();
            Assert.True(r.TryParse(buffer, 6, Full.Length));
            r.ParseTail();

            Assert.Equal("Probing PSN :: twice", r.Text(r.MessageStart, r.LineStart + r.LineLength - r.MessageStart));
            Assert.Equal(new DateTime(2022, 11, 9, 12, 22, 47), r.Timestamp());
            Assert.Equal("0x296C", Part(r, r.ThreadStart, r.ThreadLength));
        }

        [Fact]
        public void ReusedParserForgetsThePreviousLine()
        {
            var r = new PostureLogLine();
            Assert.True(r.TryParse(Full));
            r.ParseTail();
            Assert.True(r.TryParse("2022/11/09 12:22:48 [Information] aciseagent Function: dump_http_headers"));
            r.ParseTail();

            Assert.Equal(-1, r.ThreadStart);
            Assert.Equal(-1, r.MessageStart);
            Assert.Equal(new DateTime(2022, 11, 9, 12, 22, 48), r.Timestamp());
        }
    }
}
