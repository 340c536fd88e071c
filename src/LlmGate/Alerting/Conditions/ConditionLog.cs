using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Conditions;

/// <summary>The per-call conditions' log messages (event ids 5200-5249). Problems are named by config names only.</summary>
internal static partial class ConditionLog
{
    [LoggerMessage(5200, LogLevel.Warning, "Alert triggered: {AlertType} for {Problem} (level {Level}), dedup_key {DedupKey}")]
    public static partial void Triggered(ILogger logger, string alertType, string problem, int level, string dedupKey);

    [LoggerMessage(5201, LogLevel.Information, "Alert resolved: {AlertType} for {Problem} after {Occurrences} occurrence(s), dedup_key {DedupKey}")]
    public static partial void Resolved(ILogger logger, string alertType, string problem, long occurrences, string dedupKey);

    [LoggerMessage(5202, LogLevel.Information, "{AlertType} report queued with {Entries} entries, dedup_key {DedupKey}")]
    public static partial void ReportQueued(ILogger logger, string alertType, int entries, string dedupKey);

    [LoggerMessage(5203, LogLevel.Error, "Evaluating {AlertType} failed; the next tick tries again")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception, string alertType);

    [LoggerMessage(5204, LogLevel.Information, "Per-call alert types on: {AlertTypes}")]
    public static partial void Enabled(ILogger logger, string alertTypes);

    [LoggerMessage(5205, LogLevel.Information, "Alert still open from before the restart: {AlertType} for {Problem}, dedup_key {DedupKey}; resolved once quiet")]
    public static partial void Restored(ILogger logger, string alertType, string problem, string dedupKey);
}
