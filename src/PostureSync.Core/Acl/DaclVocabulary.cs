namespace PostureSync.Core.Acl
{
    /// <summary>The verdict values of <see cref="DaclTestResult.Verdict"/>.</summary>
    internal static class DaclVerdict
    {
        public const string Pass = "Pass";
        public const string Fail = "Fail";
        public const string Warn = "Warn";
        public const string Unknown = "Unknown";
    }

    /// <summary>The values of <see cref="DaclTestResult.Action"/>: what happens to the first target packet left.</summary>
    internal static class DaclAction
    {
        public const string Deny = "Deny";
        public const string Permit = "Permit";
        public const string ImplicitDeny = "ImplicitDeny";
        public const string Unknown = "Unknown";
    }
}
