using Microsoft.Extensions.Logging;

namespace LlmGate.Reload;

internal static partial class ReloadLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Config reloaded ({Trigger}) from {Path}: {Changes}")]
    public static partial void Applied(ILogger logger, string trigger, string path, string changes);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Config reload ({Trigger}) refused, still serving the config in use: {Error}")]
    public static partial void RefusedError(ILogger logger, string trigger, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Config reload ({Trigger}): {Setting} changed but takes effect only after a restart; the running value is kept")]
    public static partial void RestartRequired(ILogger logger, string trigger, string setting);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Config reload ({Trigger}): the file is unchanged")]
    public static partial void Unchanged(ILogger logger, string trigger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Config reload ({Trigger}): {Warning}")]
    public static partial void Warning(ILogger logger, string trigger, string warning);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Watching {Path} for changes every {IntervalSeconds} s")]
    public static partial void Watching(ILogger logger, string path, double intervalSeconds);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Config reload ({Trigger}) failed, still serving the config in use")]
    public static partial void Failed(ILogger logger, Exception exception, string trigger);
}
