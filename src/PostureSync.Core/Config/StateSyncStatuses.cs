namespace PostureSync.Core.Config
{
    internal static class StateSyncStatuses
    {
        public const string Enabled = "Enabled";
        public const string Disabled = "Disabled";
        public const string Invalid = "Invalid";
    }
}
