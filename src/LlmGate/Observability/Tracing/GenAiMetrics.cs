using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmGate.Observability.Tracing;

/// <summary>
/// The GenAI client metrics of the OpenTelemetry conventions, on the meter <c>LlmGate</c>, with the conventions'
/// advised buckets. Recorded once per call by <see cref="CallTracer"/>; a measurement nobody listens to costs a flag check.
/// </summary>
internal sealed class GenAiMetrics
{
    public const string MeterName = "LlmGate";
    public const string OperationDuration = "gen_ai.client.operation.duration";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string TimeToFirstToken = "gen_ai.server.time_to_first_token";

    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    public static readonly IReadOnlyList<long> TokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    public static readonly IReadOnlyList<double> TimeToFirstTokenBuckets =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];

    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _timeToFirstToken;

    public GenAiMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram(OperationDuration, "s", "GenAI operation duration: the whole call through the gateway, retries and fallbacks included.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _tokens = meter.CreateHistogram(TokenUsage, "{token}", "Number of input and output tokens used.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _timeToFirstToken = meter.CreateHistogram(TimeToFirstToken, "s", "Time to the first chunk of a streamed answer, from the start of the attempt that answered.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TimeToFirstTokenBuckets });
    }

    public bool Enabled => _duration.Enabled || _tokens.Enabled || _timeToFirstToken.Enabled;

    /// <param name="tags">The call's attributes (operation, provider, models, error type), at most 7 so that one more fits on the stack.</param>
    public void Record(in TagList tags, TimeSpan duration, long? inputTokens, long? outputTokens, TimeSpan? timeToFirstToken)
    {
        _duration.Record(duration.TotalSeconds, tags);
        if (inputTokens is { } input && _tokens.Enabled)
        {
            var withType = tags;
            withType.Add(GenAiAttributes.TokenType, "input");
            _tokens.Record(input, withType);
            withType = tags;
            withType.Add(GenAiAttributes.TokenType, "output");
            _tokens.Record(outputTokens ?? 0, withType);
        }

        if (timeToFirstToken is { } ttft)
        {
            _timeToFirstToken.Record(ttft.TotalSeconds, tags);
        }
    }
}
