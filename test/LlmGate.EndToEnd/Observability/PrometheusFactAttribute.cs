using LlmGate.Testing;

namespace LlmGate.EndToEnd.Observability;

/// <summary>A test that runs the real prometheus or promtool; skipped, saying why, where they are not installed.</summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
