using Microsoft.Extensions.Logging;

namespace LlmGate.Ui;

/// <summary>The console's log messages (event ids 7500-7549). None carries a key, a password or a session cookie.</summary>
internal static partial class UiLog
{
    [LoggerMessage(7501, LogLevel.Information, "Console sign-in as {Who} from {RemoteIp}")]
    public static partial void SignedIn(ILogger logger, string who, string remoteIp);

    [LoggerMessage(7502, LogLevel.Warning, "Console sign-in refused from {RemoteIp}: wrong credentials")]
    public static partial void SignInRefused(ILogger logger, string remoteIp);

    [LoggerMessage(7503, LogLevel.Warning, "Console sign-in from {RemoteIp} rate limited: too many failures, retry in {RetryAfter}")]
    public static partial void SignInThrottled(ILogger logger, string remoteIp, TimeSpan retryAfter);

    [LoggerMessage(7504, LogLevel.Information, "Console sign-out of {Who} from {RemoteIp}")]
    public static partial void SignedOut(ILogger logger, string who, string remoteIp);

    [LoggerMessage(7505, LogLevel.Warning, "Console sign-in refused from {RemoteIp}: no master key and no UI_USERNAME/UI_PASSWORD configured")]
    public static partial void SignInUnavailable(ILogger logger, string remoteIp);

    [LoggerMessage(7506, LogLevel.Error, "The console's live snapshot could not be built; the last one stays")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(7507, LogLevel.Warning, "Console live view refused: {Viewers} viewers already connected")]
    public static partial void TooManyViewers(ILogger logger, int viewers);
}
