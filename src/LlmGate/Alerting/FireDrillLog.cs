using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting;

/// <summary>The fire drill's log messages (event ids 5150-5159). The answers are scrubbed before they get here.</summary>
internal static partial class FireDrillLog
{
    [LoggerMessage(5150, LogLevel.Information, "Fire drill {Channel} {Action} {DedupKey}: {StatusCode} {Answer}")]
    public static partial void Answer(ILogger logger, string channel, string action, string dedupKey, int? statusCode, string answer);

    [LoggerMessage(5151, LogLevel.Error, "Fire drill {Channel} could not render the {Action} {DedupKey}")]
    public static partial void RenderFailed(ILogger logger, Exception exception, string channel, string action, string dedupKey);
}
