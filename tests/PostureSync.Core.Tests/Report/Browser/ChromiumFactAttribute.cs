using Xunit;

namespace PostureSync.Core.Tests.Report.Browser
{
    /// <summary>A test that needs a headless Chromium: skipped, saying why, only where none can be had.</summary>
    public sealed class ChromiumFactAttribute : FactAttribute
    {
        public ChromiumFactAttribute()
        {
            (string? path, string reason) = HeadlessChromium.Find();
            if (path == null)
            {
                Skip = reason;
            }
        }
    }
}
