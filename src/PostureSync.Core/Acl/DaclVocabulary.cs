namespace PostureSync.Core.Acl
{
    /// <summary>The verdict values of <see cref="DaclTestResult.Verdict"/>.</summary>
    internal static class DaclVerdicts
    {
        public const string Pass = "Pass";
        public const string Fail = "Fail";
        public const string Warn = "Warn";
        public const string Unknown = "Unknown";
    }

    /// <summary>The fix the checks suggest, as an ACE the module's own parser reads back (an address, never a name).</summary>
    internal static class DaclAdvice
    {
        /// <summary><c>deny tcp any host 10.1.1.5 eq 8449</c>: one per resolved address of a PSN.</summary>
        public static string DenyAce(string address, int port) =>
            "deny tcp any host " + address + " eq " + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The values of <see cref="DaclTestResult.Action"/>: what happens to the first target packet left.</summary>
    internal static class DaclActions
    {
        public const string Deny = "Deny";
        public const string Permit = "Permit";
        public const string ImplicitDeny = "ImplicitDeny";
        public const string Unknown = "Unknown";
    }
}
