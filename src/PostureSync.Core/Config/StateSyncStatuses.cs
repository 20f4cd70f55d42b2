namespace PostureSync.Core.Config
{
    public static class StateSyncStatuses
    {
        public const string Enabled = "Enabled";
        public const string Disabled = "Disabled";
        public const string Invalid = "Invalid";
    }
}
