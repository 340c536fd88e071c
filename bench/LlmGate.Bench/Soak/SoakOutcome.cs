namespace LlmGate.Bench.Soak;

/// <summary>How one soak request ended: as a healthy call should, with a fault the load provoked, or otherwise.</summary>
internal readonly record struct SoakOutcome(SoakOutcomeKind Kind, string Label)
{
    public static SoakOutcome Ok { get; } = new(SoakOutcomeKind.Ok, "ok");

    public static SoakOutcome Expected(string label) => new(SoakOutcomeKind.Expected, label);

    public static SoakOutcome Unexpected(string label) => new(SoakOutcomeKind.Unexpected, label);

    /// <summary>What a complete HTTP answer to a request of <paramref name="kind"/> means (<see cref="SoakKind.Disconnect"/> has none).</summary>
    public static SoakOutcome Classify(SoakKind kind, int status, bool endsWithDone) => (kind, status) switch
    {
        (SoakKind.Stream, 200) when !endsWithDone => Unexpected("stream: did not end with [DONE]"),
        (SoakKind.Chat or SoakKind.Stream or SoakKind.Embedding or SoakKind.UpstreamError, 200) => Ok,
        (SoakKind.UpstreamError, 500 or 503) => Expected($"HTTP {status} (upstream error)"),
        (SoakKind.Timeout, 408) => Expected("HTTP 408 (timeout)"),
        _ => Unexpected($"{Name(kind)}: HTTP {status}"),
    };

    public static string Name(SoakKind kind) => kind switch
    {
        SoakKind.Chat => "chat",
        SoakKind.Stream => "stream",
        SoakKind.Embedding => "embedding",
        SoakKind.UpstreamError => "upstream-error",
        SoakKind.Timeout => "timeout",
        SoakKind.Disconnect => "disconnect",
        _ => kind.ToString(),
    };
}
