using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

internal static partial class KeysLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "A virtual key could not be checked: the key database is unreachable ({Reason}).")]
    public static partial void KeyUnverifiable(ILogger logger, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "The key database ({Store}) is unreachable: keys already in use keep working on their budgets in memory, new keys are refused, and spend is kept until it is back. {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "The key database ({Store}) is reachable again; spend kept meanwhile is being written.")]
    public static partial void StoreRecovered(ILogger logger, string store);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Keys and spend are kept in {Store}.")]
    public static partial void StoreReady(ILogger logger, string store);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "{Dropped} spend-log rows were dropped while the key database was away (spend itself is kept).")]
    public static partial void SpendLogsDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Deleted {Count} spend-log rows older than {Retention} (maximum_spend_logs_retention_period).")]
    public static partial void SpendLogsPruned(ILogger logger, int count, string retention);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "A key-change message on Redis could not be read; ignored (the change feed still brings the change).")]
    public static partial void BadChangeMessage(ILogger logger);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Reloading a changed key, team or user failed: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7009, Level = LogLevel.Warning, Message = "Deployment {DeploymentId} of model group {ModelGroup} answered without usage: its calls cost 0 and count no tokens against budgets or limits (said once per deployment)")]
    public static partial void AnswerWithoutUsage(ILogger logger, string deploymentId, string modelGroup);
}
