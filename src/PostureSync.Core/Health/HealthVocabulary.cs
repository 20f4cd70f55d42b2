namespace PostureSync.Core.Health
{
    internal static class HealthStatuses
    {
        public const string Healthy = "Healthy";
        public const string Degraded = "Degraded";
        public const string Unhealthy = "Unhealthy";
        public const string Unknown = "Unknown";
    }

    internal static class HealthSources
    {
        public const string Live = "Live";
    }
}
