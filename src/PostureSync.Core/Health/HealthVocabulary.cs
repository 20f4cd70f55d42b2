namespace PostureSync.Core.Health
{
    internal static class HealthStatuses
    {
        public const string Healthy = "Healthy";
        public const string Degraded = "Degraded";
        public const string Unhealthy = "Unhealthy";
        public const string Unknown = "Unknown";

        /// <summary>
        /// Worst first, so that <c>Sort-Object StatusOrder</c> lists what needs work at the top: Unhealthy 0,
        /// Degraded 1, Unknown 2 (nothing wrong was seen, but not enough could be checked), Healthy 3.
        /// </summary>
        public static int Order(string status)
        {
            switch (status)
            {
                case Unhealthy: return 0;
                case Degraded: return 1;
                case Healthy: return 3;
                default: return 2;
            }
        }
    }

    internal static class HealthSources
    {
        public const string Live = "Live";
    }
}
