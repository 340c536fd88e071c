using LlmGate.Configuration;

namespace LlmGate.Alerting;

/// <summary>What one <see cref="AlertKind"/> pages on: count >= <see cref="Threshold"/> within <see cref="Window"/>.</summary>
internal sealed record AlertRule(AlertKind Kind, string ClassName, string SummaryTitle, int Threshold, TimeSpan Window)
{
    public const string FailureClass = "llm_api_failure";
    public const string HangClass = "llm_request_hanging";

    public static AlertRule ForFailures(AlertingOptions options) =>
        new(AlertKind.Failure, FailureClass, "High LLM API Failure Rate", options.FailureThreshold, options.FailureWindow);

    // LiteLLM documents hanging_threshold_fails but ignores it; here it is the threshold of the hang window.
    public static AlertRule ForHangs(AlertingOptions options) =>
        new(AlertKind.Hang, HangClass, "High Number of Hanging LLM Requests", options.HangingThresholdFails, options.HangingWindow);

    public static IReadOnlyList<AlertRule> From(AlertingOptions options) => [ForFailures(options), ForHangs(options)];
}
