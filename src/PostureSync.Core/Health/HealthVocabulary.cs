namespace PostureSync.Core.Health
{
    public static class HealthStatuses
    {
        public const string Healthy = "Healthy";
        public const string Degraded = "Degraded";
        public const string Unhealthy = "Unhealthy";
        public const string Unknown = "Unknown";
    }

    public static class HealthSources
    {
        public const string Live = "Live";
    }
}
