using Microsoft.Extensions.Logging;

namespace LlmGate.Hosting;

internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "No master key is set (general_settings.master_key or LITELLM_MASTER_KEY): every request is allowed")]
    public static partial void NoMasterKey(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Config {Diagnostic}")]
    public static partial void ConfigWarning(ILogger logger, string diagnostic);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "LlmGate serving {ModelGroups} model groups on {Urls}")]
    public static partial void Started(ILogger logger, int modelGroups, string urls);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Unhandled error while serving {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Deployment cannot be called: {Deployment}")]
    public static partial void DeploymentUnservable(ILogger logger, string deployment);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Summary}")]
    public static partial void Serving(ILogger logger, string summary);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "TLS certificate reloaded from {Path}: {Subject}, valid until {NotAfter:u}")]
    public static partial void CertificateReloaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Problem}; the certificate in use is kept")]
    public static partial void CertificateReloadFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Signal}: stopping; requests in flight may finish (a second signal stops at once)")]
    public static partial void Stopping(ILogger logger, string signal);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Signal} again: stopping at once")]
    public static partial void StoppingNow(ILogger logger, string signal);
}
