namespace LlmGate.Bench.Soak;

/// <summary>Every soak request's outcome, counted per kind and label; read as snapshots while the load runs.</summary>
internal sealed class SoakTally
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(SoakKind Kind, SoakOutcome Outcome), long> _counts = [];

    public void Record(SoakKind kind, SoakOutcome outcome)
    {
        lock (_lock)
        {
            _counts[(kind, outcome)] = _counts.GetValueOrDefault((kind, outcome)) + 1;
        }
    }

    public IReadOnlyList<SoakKindCounts> Snapshot()
    {
        lock (_lock)
        {
            return [.. Enum.GetValues<SoakKind>().Select(kind =>
            {
                var mine = _counts.Where(c => c.Key.Kind == kind).ToArray();
                return new SoakKindCounts(
                    SoakOutcome.Name(kind),
                    mine.Where(c => c.Key.Outcome.Kind == SoakOutcomeKind.Ok).Sum(c => c.Value),
                    mine.Where(c => c.Key.Outcome.Kind == SoakOutcomeKind.Expected).ToDictionary(c => c.Key.Outcome.Label, c => c.Value, StringComparer.Ordinal),
                    mine.Where(c => c.Key.Outcome.Kind == SoakOutcomeKind.Unexpected).ToDictionary(c => c.Key.Outcome.Label, c => c.Value, StringComparer.Ordinal));
            })];
        }
    }
}
