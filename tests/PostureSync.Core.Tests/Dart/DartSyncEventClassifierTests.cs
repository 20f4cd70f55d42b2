using PostureSync.Core.Dart;
using Xunit;

namespace PostureSync.Core.Tests.Dart
{
    public class DartSyncEventClassifierTests
    {
        private static string TypeOf(string severity, string function, string tail = " Thread Id: 0x1 File: X.cpp Line: 1 Level: info :: m")
        {
            var record = new PostureLogLine();
            Assert.True(record.TryParse($"2022/11/09 12:22:47 [{severity}] aciseagent Function: {function}{tail}"));
            return DartSyncEventTypes.Names[DartSyncEventClassifier.Classify(record)];
        }

        [Fact]
        public void VocabularyIsFixed()
        {
            Assert.Equal(
                new[] { "PostureStatus", "SyncProbeControl", "SyncProbe", "SyncProbeError", "HttpRequest", "HttpHeaders", "DiscoveryRestart", "Discovery", "Transport", "ConfigLoaded", "Other" },
                DartSyncEventTypes.Names);
        }

        [Fact]
        public void NamesIsACopy()
        {
            DartSyncEventTypes.Names[0] = "changed";
            Assert.Equal("PostureStatus", DartSyncEventTypes.Names[0]);
        }

        [Theory]
        [InlineData("Authenticator::sendUIStatus", "PostureStatus")]
        [InlineData("sendUIStatus", "PostureStatus")]
        [InlineData("PeriodicProbe::ProcessMessage", "SyncProbeControl")]
        [InlineData("PeriodicProbe::sessionSyncProbe", "SyncProbe")]
        [InlineData("sessionSyncProbe", "SyncProbe")]
        [InlineData("HttpConnection::MakeRequest", "HttpRequest")]
        [InlineData("MakeRequest", "HttpRequest")]
        [InlineData("dump_http_headers", "HttpHeaders")]
        [InlineData("SwiftHttpRunner::restartDiscovery", "DiscoveryRestart")]
        [InlineData("restartDiscovery", "DiscoveryRestart")]
        [InlineData("SwiftHttpRunner::processMessage", "Discovery")]
        [InlineData("SwiftHttpRunner::run", "Discovery")]
        [InlineData("hs_transport_free", "Transport")]
        [InlineData("hs_transport_connect", "Transport")]
        [InlineData("SwiftManager::loadXMLCfgFile", "ConfigLoaded")]
        [InlineData("Authenticator::authenticate", "Other")]
        [InlineData("SwiftManager::ProcessMessage", "Other")]
        [InlineData("sendUIStatusLater", "Other")]
        [InlineData("hs_transport", "Other")]
        [InlineData("MySwiftHttpRunner::run", "Other")]
        public void FunctionGivesType(string function, string expected)
        {
            Assert.Equal(expected, TypeOf("Information", function));
        }

        [Fact]
        public void BareProcessMessageCountsOnlyFromPeriodicProbeCpp()
        {
            Assert.Equal("SyncProbeControl", TypeOf("Information", "ProcessMessage", " Thread Id: 0x1 File: PeriodicProbe.cpp Line: 1 Level: info :: m"));
            Assert.Equal("Other", TypeOf("Information", "ProcessMessage", " Thread Id: 0x1 File: SwiftManager.cpp Line: 1 Level: info :: m"));
            Assert.Equal("Other", TypeOf("Information", "ProcessMessage", string.Empty));
        }

        [Fact]
        public void BareFunctionFromSwiftHttpRunnerCppIsDiscovery()
        {
            Assert.Equal("Discovery", TypeOf("Information", "processMessage", " Thread Id: 0x1 File: SwiftHttpRunner.cpp Line: 1 Level: info :: m"));
        }

        [Theory]
        [InlineData("Error", "info", "SyncProbeError")]
        [InlineData("error", "info", "SyncProbeError")]
        [InlineData("Information", "error", "SyncProbeError")]
        [InlineData("Warning", "warning", "SyncProbe")]
        [InlineData("Information", "info", "SyncProbe")]
        public void SessionSyncProbeErrorsBySeverityOrLevel(string severity, string level, string expected)
        {
            Assert.Equal(expected, TypeOf(severity, "PeriodicProbe::sessionSyncProbe", $" Thread Id: 0x1 File: PeriodicProbe.cpp Line: 1 Level: {level} :: m"));
        }

        [Fact]
        public void RecordWithoutFunctionIsOther()
        {
            var record = new PostureLogLine();
            Assert.True(record.TryParse("2022/11/09 12:22:47 [Information] aciseagent sendUIStatus"));
            Assert.Equal(DartSyncEventTypes.OtherCode, DartSyncEventClassifier.Classify(record));
        }

        [Theory]
        [InlineData("Posture status: Compliant", "Compliant")]
        [InlineData("posture is compliant.", "Compliant")]
        [InlineData("Status = NonCompliant", "NonCompliant")]
        [InlineData("status non-compliant", "NonCompliant")]
        [InlineData("Non Compliant", "NonCompliant")]
        [InlineData("Posture state Unknown", "Unknown")]
        [InlineData("(Pending)", "Pending")]
        [InlineData("changed from Unknown to Compliant", "Compliant")]
        [InlineData("changed from Compliant to Unknown", "Unknown")]
        [InlineData("MSG_SU_STEP_STATUS, {Status:6,Compliant:3,...}", null)]
        [InlineData("Compliant=1 Unknown=0", null)]
        [InlineData("incompliant UnknownHost pendingCount", null)]
        [InlineData("", null)]
        public void PostureStatusIsAWordStandingAsAValue(string message, string? expected)
        {
            Assert.Equal(expected, DartSyncEventClassifier.PostureStatusOf(message));
        }

        [Theory]
        [InlineData("GET https://psn1.example.com:8449/ (timeout 5)", "https://psn1.example.com:8449/", 8449)]
        [InlineData("url=\"https://10.1.1.1:8449/status\"", "https://10.1.1.1:8449/status", 8449)]
        [InlineData("Connecting to HTTPS://psn1.example.com/path.", "HTTPS://psn1.example.com/path", 443)]
        [InlineData("POST http://[2001:db8::5]/auth/status", "http://[2001:db8::5]/auth/status", 80)]
        [InlineData("see ftp://x.example/ then https://psn2:8449", "https://psn2:8449", 8449)]
        public void UrlAndPortComeFromTheMessage(string message, string url, int port)
        {
            Assert.True(DartSyncEventClassifier.TryFindUrl(message, out string? foundUrl, out int? foundPort));
            Assert.Equal(url, foundUrl);
            Assert.Equal(port, foundPort);
        }

        [Theory]
        [InlineData("Connecting to 10.1.1.1:8449")]
        [InlineData("https://")]
        [InlineData("")]
        public void NoUrlNoPort(string message)
        {
            Assert.False(DartSyncEventClassifier.TryFindUrl(message, out string? url, out int? port));
            Assert.Null(url);
            Assert.Null(port);
        }
    }
}
