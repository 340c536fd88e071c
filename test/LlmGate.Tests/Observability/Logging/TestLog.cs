using Microsoft.Extensions.Logging;

namespace LlmGate.Tests.Observability.Logging;

/// <summary>Source-generated log messages, as the gateway's own are written.</summary>
internal static partial class TestLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Upstream of model group {ModelGroup} answered {Status} after {Seconds} s (streamed: {Streamed}, until {Until}, kind {Kind})")]
    public static partial void Answered(ILogger logger, string modelGroup, int status, double seconds, bool streamed, DateTimeOffset until, DayOfWeek kind);

    [LoggerMessage(EventId = 4202, Message = "Line one\nline two for {Who}")]
    public static partial void TwoLines(ILogger logger, LogLevel level, string who);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Clashing {message}, {level} and {call_id}")]
    public static partial void Clashing(ILogger logger, string message, string level, string call_id);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, Message = "Request to {Path} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "Nothing missing: {Missing}, not a number: {NotANumber}")]
    public static partial void Odd(ILogger logger, string? missing, double notANumber);
}
