namespace LlmGate.Alerting.Delivery;

/// <summary>A trigger a silence held back from one channel: released into its lane when no silence matches it any more.</summary>
internal sealed record HeldEntry(
    long Id,
    string Channel,
    string DedupKey,
    string Payload,
    IReadOnlyDictionary<string, string> Labels,
    bool Resolvable,
    DateTimeOffset CreatedAt,
    string SilenceId);
