namespace LlmGate.Alerting;

/// <summary>A window's state at one moment: what the event's summary and custom details are built from.</summary>
internal sealed record WindowSnapshot(
    int Count,
    IReadOnlyDictionary<BreakdownKey, int> Breakdown,
    IReadOnlyList<AlertObservation> RecentErrors)
{
    public static readonly WindowSnapshot Empty = new(0, new Dictionary<BreakdownKey, int>(), []);
}
