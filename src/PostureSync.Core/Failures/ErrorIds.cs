namespace PostureSync.Core
{
    /// <summary>
    /// Every ErrorId the module reports: the first part of an ErrorRecord's FullyQualifiedErrorId, which scripts match
    /// on, so a spelling never changes once shipped. New ones are named subject first, then the problem
    /// (<c>DaclNotFound</c>, <c>LogUnreadable</c>); the older <c>Invalid&lt;Thing&gt;</c> ones keep their order.
    /// docs/error-ids.md explains each one; a test keeps it in step with this list.
    /// </summary>
    public static class ErrorIds
    {
        /// <summary>No posture agent (service or VPN agent) is installed where the module looks.</summary>
        public const string AgentNotFound = "AgentNotFound";

        /// <summary>The service manager or the VPN agent refused or failed the restart.</summary>
        public const string AgentRestartFailed = "AgentRestartFailed";

        /// <summary>Restarting the agent needs administrator or root rights this session lacks.</summary>
        public const string AgentRestartNeedsElevation = "AgentRestartNeedsElevation";

        /// <summary>The agent did not come back running within the timeout.</summary>
        public const string AgentRestartTimeout = "AgentRestartTimeout";

        /// <summary>The profile holds a DTD, which is refused so nothing outside the file is read.</summary>
        public const string ConfigDtdProhibited = "ConfigDtdProhibited";

        /// <summary>The profile file is empty.</summary>
        public const string ConfigEmpty = "ConfigEmpty";

        /// <summary>No ISEPostureCFG.xml where it was looked for.</summary>
        public const string ConfigNotFound = "ConfigNotFound";

        /// <summary>The XML is not a posture profile (wrong root or namespace).</summary>
        public const string ConfigNotPosture = "ConfigNotPosture";

        /// <summary>The profile could not be read (I/O error or access denied).</summary>
        public const string ConfigReadFailed = "ConfigReadFailed";

        /// <summary>The profile is larger than any real profile.</summary>
        public const string ConfigTooLarge = "ConfigTooLarge";

        /// <summary>The profile is not well-formed XML.</summary>
        public const string ConfigXmlInvalid = "ConfigXmlInvalid";

        /// <summary>The profile nests elements deeper than any real profile (refused before a tree is built).</summary>
        public const string ConfigXmlTooDeep = "ConfigXmlTooDeep";

        /// <summary>The input holds no IP or IPv6 access list, or none matching -AclName.</summary>
        public const string DaclListNotFound = "DaclListNotFound";

        /// <summary>A JSON file given as a dACL is not an ERS DownloadableAcl body or a list of them.</summary>
        public const string DaclJsonInvalid = "DaclJsonInvalid";

        /// <summary>A switch session holds a list that the show access-lists output given does not contain.</summary>
        public const string DaclNotInOutput = "DaclNotInOutput";

        /// <summary>The -DaclPath file does not exist, or its wildcard matches no file.</summary>
        public const string DaclNotFound = "DaclNotFound";

        /// <summary>The input is plainly not ACL text (a posture log, an XML profile, an image, a zip).</summary>
        public const string DaclNotAclText = "DaclNotAclText";

        /// <summary>A folder was given where a dACL file was expected.</summary>
        public const string DaclPathIsFolder = "DaclPathIsFolder";

        /// <summary>The -DaclPath wildcard matches more than one file.</summary>
        public const string DaclPathAmbiguous = "DaclPathAmbiguous";

        /// <summary>The dACL file could not be read (I/O error or access denied).</summary>
        public const string DaclReadFailed = "DaclReadFailed";

        /// <summary>A line of the ACL could not be parsed.</summary>
        public const string DaclSyntaxError = "DaclSyntaxError";

        /// <summary>The ACL file is larger than any real ACL output.</summary>
        public const string DaclTooLarge = "DaclTooLarge";

        /// <summary>The DART bundle is not a readable zip (damaged, truncated, or not a zip).</summary>
        public const string DartBundleInvalid = "DartBundleInvalid";

        /// <summary>The DART bundle could not be read at all (access denied, locked, gone).</summary>
        public const string DartBundleUnreadable = "DartBundleUnreadable";

        /// <summary>An entry of the bundle would expand beyond the limits (a zip bomb, not a DART bundle).</summary>
        public const string DartBundleTooLarge = "DartBundleTooLarge";

        /// <summary>-EndpointAddress is not an IP address.</summary>
        public const string EndpointAddressInvalid = "EndpointAddressInvalid";

        /// <summary>The hosts file named by POSTURESYNC_HOSTS_FILE could not be read.</summary>
        public const string HostsFileUnreadable = "HostsFileUnreadable";

        /// <summary>ISE refused the user name or password (HTTP 401, also its HTML page).</summary>
        public const string IseAuthenticationFailed = "IseAuthenticationFailed";

        /// <summary>ISE denied the account this read (HTTP 403).</summary>
        public const string IseAccessDenied = "IseAccessDenied";

        /// <summary>ISE answered with an HTML page or a redirect where the API belongs: ERS/Open API off, wrong port, or not an MnT node.</summary>
        public const string IseApiDisabled = "IseApiDisabled";

        /// <summary>ISE's TLS certificate was not accepted (validation, or not the pinned thumbprint); the message names its thumbprint.</summary>
        public const string IseCertificateInvalid = "IseCertificateInvalid";

        /// <summary>Both -Connection and -Server were given.</summary>
        public const string IseConnectionAmbiguous = "IseConnectionAmbiguous";

        /// <summary>-Server without -Credential.</summary>
        public const string IseCredentialMissing = "IseCredentialMissing";

        /// <summary>ISE has no dACL by the name given.</summary>
        public const string IseDaclNotFound = "IseDaclNotFound";

        /// <summary>-MacAddress is not 12 hex digits in a common notation.</summary>
        public const string IseMacAddressInvalid = "IseMacAddressInvalid";

        /// <summary>No -Connection, no -Server, and no Connect-IseServer in this session.</summary>
        public const string IseNotConnected = "IseNotConnected";

        /// <summary>ISE reports no Session-service node with an address.</summary>
        public const string IsePsnNotFound = "IsePsnNotFound";

        /// <summary>ISE answered with another HTTP status, or kept answering 429/503 after the retries.</summary>
        public const string IseRequestFailed = "IseRequestFailed";

        /// <summary>ISE's answer is malformed, cut off, of the wrong media type or over the size bound.</summary>
        public const string IseResponseInvalid = "IseResponseInvalid";

        /// <summary>-Server is plain http://, or not a host or host:port.</summary>
        public const string IseServerInvalid = "IseServerInvalid";

        /// <summary>The monitoring node has no session for the MAC address (404, or 500 "Session data is not available").</summary>
        public const string IseSessionNotFound = "IseSessionNotFound";

        /// <summary>-CertificateThumbprint is not 40 or 64 hex digits.</summary>
        public const string IseThumbprintInvalid = "IseThumbprintInvalid";

        /// <summary>ISE did not answer within -TimeoutSec.</summary>
        public const string IseTimeout = "IseTimeout";

        /// <summary>ISE cannot be reached (name, port, firewall, connection refused).</summary>
        public const string IseUnreachable = "IseUnreachable";

        /// <summary>-Count is below 1.</summary>
        public const string InvalidCount = "InvalidCount";

        /// <summary>-EventType names no known event type.</summary>
        public const string InvalidEventType = "InvalidEventType";

        /// <summary>-IntervalSec is outside 0–86400.</summary>
        public const string InvalidInterval = "InvalidInterval";

        /// <summary>A port is outside 1–65535.</summary>
        public const string InvalidPort = "InvalidPort";

        /// <summary>The HTTP request path cannot be sent as given.</summary>
        public const string InvalidRequestPath = "InvalidRequestPath";

        /// <summary>A probe target is not a host name, an address, host:port or [IPv6]:port.</summary>
        public const string InvalidTargetName = "InvalidTargetName";

        /// <summary>-ThrottleLimit is out of range.</summary>
        public const string InvalidThrottleLimit = "InvalidThrottleLimit";

        /// <summary>-TimeoutSec is out of range.</summary>
        public const string InvalidTimeout = "InvalidTimeout";

        /// <summary>-After is later than -Before.</summary>
        public const string InvalidTimeRange = "InvalidTimeRange";

        /// <summary>The version cannot go into a User-Agent header.</summary>
        public const string InvalidUserAgentVersion = "InvalidUserAgentVersion";

        /// <summary>The posture log exists but this session may not read it.</summary>
        public const string LogAccessDenied = "LogAccessDenied";

        /// <summary>The agent's live log was not found: no such event log, no log tool, or nothing in it.</summary>
        public const string LogNotFound = "LogNotFound";

        /// <summary>Reading the agent's live log stopped at the cap on what a read may take in.</summary>
        public const string LogTooLarge = "LogTooLarge";

        /// <summary>The posture log could not be read (I/O error, damaged compressed data).</summary>
        public const string LogUnreadable = "LogUnreadable";

        /// <summary>A switch session piped to Test-ComplianceDacl holds no ACS ACL, so there is no dACL to check.</summary>
        public const string NadSessionHasNoDacl = "NadSessionHasNoDacl";

        /// <summary>The text holds no switch session (no session detail output).</summary>
        public const string NadSessionNotFound = "NadSessionNotFound";

        /// <summary>A folder was given where a file of session output was expected.</summary>
        public const string NadSessionPathIsFolder = "NadSessionPathIsFolder";

        /// <summary>The session output file could not be read (I/O error or access denied).</summary>
        public const string NadSessionReadFailed = "NadSessionReadFailed";

        /// <summary>The session output is larger than any real switch's.</summary>
        public const string NadSessionTooLarge = "NadSessionTooLarge";

        /// <summary>The path cannot be used (bad characters, unknown drive or provider).</summary>
        public const string PathInvalid = "PathInvalid";

        /// <summary>The path is on a provider other than the file system.</summary>
        public const string PathNotFileSystem = "PathNotFileSystem";

        /// <summary>A -Path wildcard matches no file, or a literal path names no file or folder.</summary>
        public const string PathNotFound = "PathNotFound";

        /// <summary>The folder or bundle holds no posture log (AnyConnect_ISEPosture*.txt*, ISEPosture*.txt*, CiscoSecureClient-ISEPosture*.log*).</summary>
        public const string PostureLogNotFound = "PostureLogNotFound";

        /// <summary>The file has lines, and none of them is a posture log record.</summary>
        public const string PostureLogInvalid = "PostureLogInvalid";

        /// <summary>A PSN entry is not a host name, an address, host:port or [IPv6]:port.</summary>
        public const string PsnAddressInvalid = "PsnAddressInvalid";

        /// <summary>No PSN was given to check the dACL against.</summary>
        public const string PsnAddressMissing = "PsnAddressMissing";

        /// <summary>A PSN name does not resolve.</summary>
        public const string PsnNameUnresolved = "PsnNameUnresolved";

        /// <summary>A DartSyncEvent given to Export-PostureSyncReport has no TimeCreated, so it has no place on a timeline.</summary>
        public const string ReportEventTimeMissing = "ReportEventTimeMissing";

        /// <summary>-NoClobber was given and the report file exists.</summary>
        public const string ReportFileExists = "ReportFileExists";

        /// <summary>The report file is read-only and -Force was not given.</summary>
        public const string ReportFileReadOnly = "ReportFileReadOnly";

        /// <summary>The report's folder does not exist.</summary>
        public const string ReportFolderNotFound = "ReportFolderNotFound";

        /// <summary>An object of a type the report does not show.</summary>
        public const string ReportInputTypeUnknown = "ReportInputTypeUnknown";

        /// <summary>Objects came, but none the report shows: nothing was written.</summary>
        public const string ReportNothingToWrite = "ReportNothingToWrite";

        /// <summary>-Path of the report is a folder.</summary>
        public const string ReportPathIsFolder = "ReportPathIsFolder";

        /// <summary>Writing the report was refused (access denied); the old file is unchanged.</summary>
        public const string ReportWriteDenied = "ReportWriteDenied";

        /// <summary>Writing the report failed (disk full, file held open); the old file is unchanged.</summary>
        public const string ReportWriteFailed = "ReportWriteFailed";

        /// <summary>A report piped to Restart-PostureAgent is not this endpoint's live report, so nothing was restarted here.</summary>
        public const string RestartNotForThisEndpoint = "RestartNotForThisEndpoint";
    }
}
