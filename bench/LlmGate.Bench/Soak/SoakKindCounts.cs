namespace LlmGate.Bench.Soak;

/// <summary>Requests of one kind so far: healthy answers, provoked faults and unexpected outcomes, each by label.</summary>
internal sealed record SoakKindCounts(
    string Kind,
    long Ok,
    IReadOnlyDictionary<string, long> Expected,
    IReadOnlyDictionary<string, long> Unexpected)
{
    public long ExpectedTotal => Expected.Values.Sum();

    public long UnexpectedTotal => Unexpected.Values.Sum();

    public long Total => Ok + ExpectedTotal + UnexpectedTotal;
}
