using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Silences;

/// <summary>Silences' log messages (event ids 5250-5299). None carries a payload, a key or a comment.</summary>
internal static partial class SilenceLog
{
    [LoggerMessage(5250, LogLevel.Information, "Silence {SilenceId} created by {CreatedBy}: {Matchers} from {StartsAt:o} to {EndsAt:o}")]
    public static partial void Created(ILogger logger, string silenceId, string createdBy, string matchers, DateTimeOffset startsAt, DateTimeOffset endsAt);

    [LoggerMessage(5251, LogLevel.Information, "Silence {SilenceId} updated by {CreatedBy}: {Matchers} from {StartsAt:o} to {EndsAt:o}")]
    public static partial void Updated(ILogger logger, string silenceId, string createdBy, string matchers, DateTimeOffset startsAt, DateTimeOffset endsAt);

    [LoggerMessage(5252, LogLevel.Information, "Silence {SilenceId} expired on request; kept for audit until {ForgottenAt:o}")]
    public static partial void Expired(ILogger logger, string silenceId, DateTimeOffset forgottenAt);

    [LoggerMessage(5253, LogLevel.Warning, "Silence over for {Channel} with alert {DedupKey} still open (held by {SilenceId}): delivering its trigger now")]
    public static partial void HeldDelivered(ILogger logger, string channel, string dedupKey, string silenceId);

    [LoggerMessage(5254, LogLevel.Information, "Silence over for {Channel}: report {DedupKey} (held by {SilenceId}) dropped, a report is not sent late")]
    public static partial void HeldDropped(ILogger logger, string channel, string dedupKey, string silenceId);

    [LoggerMessage(5255, LogLevel.Information, "Forgot {Count} silence(s) expired more than {Retention} ago")]
    public static partial void Pruned(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(5256, LogLevel.Error, "Ending silenced holds failed; trying again in a second")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(5257, LogLevel.Warning, "A stored silence could not be read and is ignored ({Where})")]
    public static partial void Unreadable(ILogger logger, string where);

    [LoggerMessage(5258, LogLevel.Information, "{Count} silence(s) loaded from the outbox file")]
    public static partial void Loaded(ILogger logger, int count);

    [LoggerMessage(5259, LogLevel.Error, "Could not write silence {SilenceId} to the outbox file; it is kept in memory (and Redis when shared)")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string silenceId);
}
