namespace LlmGate.Browser;

/// <summary>A test that drives chromium; skipped, saying why, where chromium or axe-core is not installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserTools.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
