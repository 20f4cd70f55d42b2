namespace PostureSync
{
    /// <summary>A downloadable ACL as ISE holds it; Text is one ACE per line.</summary>
    public sealed class IseDacl
    {
        public string Name { get; set; } = string.Empty;

        public string Id { get; set; } = string.Empty;

        public string? Description { get; set; }

        /// <summary>IPV4, IPV6 or IP_AGNOSTIC.</summary>
        public string DaclType { get; set; } = "IPV4";

        public string Text { get; set; } = string.Empty;
    }
}
