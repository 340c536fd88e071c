namespace LlmGate.Bench.Servers;

/// <summary>How the fake upstream answers: on which ports, how many stream chunks, and how slowly.</summary>
internal sealed record FakeOpenAiOptions
{
    public required IReadOnlyList<int> Ports { get; init; }

    public int StreamChunks { get; init; } = 20;

    /// <summary>Wait before the answer's first byte (a model's time to first token).</summary>
    public TimeSpan FirstByteDelay { get; init; }

    /// <summary>Wait between two chunks of a stream.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Idle streams (requests carrying <c>LoadRequest.IdleMarker</c>): one chunk per this interval after the first.</summary>
    public TimeSpan IdleChunkInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>An idle stream ends by itself after this long, so none outlives a run that forgot it.</summary>
    public TimeSpan IdleStreamLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Share of the requests under <c>/flaky/</c> answered 500 or 503 (the soak's upstream errors).</summary>
    public double FlakyFailureRate { get; init; } = 0.5;

    /// <summary>Wait before answering a request under <c>/slow/</c>: longer than the soak's <c>timeout</c>.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(5);
}
