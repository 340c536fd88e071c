using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting;

/// <summary>Alerting's log messages (event ids 5000-5099). None carries a key, a prompt or a completion.</summary>
internal static partial class AlertingLog
{
    [LoggerMessage(5001, LogLevel.Warning, "Alert triggered: {AlertClass} for {Scope}, {Count} in the window (threshold {Threshold}), dedup_key {DedupKey}")]
    public static partial void IncidentOpened(ILogger logger, string alertClass, string scope, int count, int threshold, string dedupKey);

    [LoggerMessage(5002, LogLevel.Information, "Alert resolved: {AlertClass} for {Scope} after a quiet window, dedup_key {DedupKey}")]
    public static partial void IncidentResolved(ILogger logger, string alertClass, string scope, string dedupKey);

    [LoggerMessage(5003, LogLevel.Information, "{Channel} accepted {Action} {DedupKey} with {StatusCode} after {Attempts} attempt(s)")]
    public static partial void EventDelivered(ILogger logger, string channel, AlertAction action, string dedupKey, int? statusCode, int attempts);

    [LoggerMessage(5004, LogLevel.Warning, "{Channel} did not take {Action} {DedupKey} (status {StatusCode}, {Error}); attempt {Attempts}, next in {RetryDelay}")]
    public static partial void DeliveryRetry(ILogger logger, string channel, AlertAction action, string dedupKey, int? statusCode, string error, int attempts, TimeSpan retryDelay);

    [LoggerMessage(5005, LogLevel.Error, "{Channel} rejected {Action} {DedupKey} with {StatusCode}, not retried: {Errors}")]
    public static partial void EventRejected(ILogger logger, string channel, AlertAction action, string dedupKey, int? statusCode, string errors);

    [LoggerMessage(5006, LogLevel.Error, "Could not queue the {Action} for {DedupKey}; it will be decided again on the next evaluation")]
    public static partial void EnqueueFailed(ILogger logger, Exception exception, AlertAction action, string dedupKey);

    [LoggerMessage(5007, LogLevel.Error, "Alert delivery to {Channel} failed; retrying in {RetryDelay}")]
    public static partial void SenderFailed(ILogger logger, Exception exception, string channel, TimeSpan retryDelay);

    [LoggerMessage(5008, LogLevel.Error, "Alert evaluation failed")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(5009, LogLevel.Information, "{Count} alert event(s) waiting in the outbox for {Channel} from before; delivering them first")]
    public static partial void PendingAtStartup(ILogger logger, int count, string channel);

    [LoggerMessage(5011, LogLevel.Error, "{Channel} could not render the {Action} for {DedupKey}; the other channels still get it")]
    public static partial void RenderFailed(ILogger logger, Exception exception, string channel, AlertAction action, string dedupKey);

    [LoggerMessage(5012, LogLevel.Warning, "The last delivery attempt to {Channel} on stop ran out of its {Budget}; what is pending stays in the outbox for the next start")]
    public static partial void LastAttemptCut(ILogger logger, string channel, TimeSpan budget);
}
