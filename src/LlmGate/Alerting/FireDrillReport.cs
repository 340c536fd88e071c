namespace LlmGate.Alerting;

/// <summary>A fire drill: one dedup key, and each drilled channel's answers.</summary>
internal sealed record FireDrillReport(string DedupKey, IReadOnlyList<FireDrillResult> Channels)
{
    public bool Success => Channels.Count > 0 && Channels.All(c => c.Success);
}
