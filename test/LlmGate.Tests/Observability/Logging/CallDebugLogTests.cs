using LlmGate.Calls;
using LlmGate.Observability.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Observability.Logging;

public sealed class CallDebugLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();

    [Fact]
    public void RetriedCall_ALinePerAttemptAndOneForTheCallWithTimingsAndTokens()
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Debug));
        var call = new CallTracker([new CallDebugLog(_time, factory.CreateLogger<CallDebugLog>())], _time).Start(CallerIdentity.MasterKey);
        call.Routed("gpt-4o", stream: true);

        call.StartAttempt("gpt-4o", "primary", "openai", "gpt-4o-2024-08-06");
        _time.Advance(TimeSpan.FromMilliseconds(40));
        call.EndAttempt(503, FailureKind.UpstreamError);
        call.StartAttempt("gpt-4o-mini", "backup", "azure", "gpt-4o-mini");
        _time.Advance(TimeSpan.FromMilliseconds(25));
        call.EndAttempt(200, null); // its headers: the answer is relayed
        call.Usage = new TokenUsage(12, 34);
        call.Completed();

        var lines = _logs.GetSnapshot();
        Assert.All(lines, l => Assert.Equal(LogLevel.Debug, l.Level));
        Assert.Equal([8301, 8301, 8302], lines.Select(l => l.Id.Id));
        Assert.Equal(
            $"Call {call.CallId}: attempt 0 to gpt-4o on deployment primary (openai gpt-4o-2024-08-06) ended 503 (error: UpstreamError) after 40 ms",
            lines[0].Message);
        Assert.EndsWith("ended 200 (error: none) after 25 ms", lines[1].Message, StringComparison.Ordinal);
        Assert.Equal(
            $"Call {call.CallId} (acompletion, stream True) to gpt-4o: Completed 200 after 65 ms, 2 attempts, 12 prompt and 34 completion tokens ",
            lines[2].Message);
    }
}
