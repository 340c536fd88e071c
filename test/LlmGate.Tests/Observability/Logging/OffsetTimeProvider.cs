namespace LlmGate.Tests.Observability.Logging;

/// <summary>A clock whose "now" carries a non-zero offset, as a local clock's would: the log must still write UTC.</summary>
internal sealed class OffsetTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
