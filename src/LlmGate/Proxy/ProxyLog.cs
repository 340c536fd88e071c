using Microsoft.Extensions.Logging;

namespace LlmGate.Proxy;

internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Upstream of model group {ModelGroup} (deployment {DeploymentId}) answered {Status}")]
    public static partial void UpstreamError(ILogger logger, string modelGroup, string deploymentId, int status);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Upstream of model group {ModelGroup} (deployment {DeploymentId}) timed out after {TimeoutSeconds} s")]
    public static partial void UpstreamTimeout(ILogger logger, string modelGroup, string deploymentId, double timeoutSeconds);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Upstream of model group {ModelGroup} (deployment {DeploymentId}) is unreachable: {Reason}")]
    public static partial void UpstreamUnreachable(ILogger logger, string modelGroup, string deploymentId, string reason);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "Upstream of model group {ModelGroup} (deployment {DeploymentId}) sent an unusable answer: {Reason}")]
    public static partial void UpstreamAnswerUnusable(ILogger logger, string modelGroup, string deploymentId, string reason);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Upstream of model group {ModelGroup} (deployment {DeploymentId}) {Reason}")]
    public static partial void UpstreamStreamError(ILogger logger, string modelGroup, string deploymentId, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Deployment {DeploymentId} of model group {ModelGroup} cannot be called: {Reason}")]
    public static partial void DeploymentUnusable(ILogger logger, string modelGroup, string deploymentId, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Client went away during a call to model group {ModelGroup}; upstream call cancelled")]
    public static partial void ClientDisconnected(ILogger logger, string modelGroup);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Retrying model group {ModelGroup} (retry {Retry}) after status {Status} from deployment {DeploymentId}, waiting {WaitMs} ms")]
    public static partial void Retrying(ILogger logger, string modelGroup, int retry, int status, string deploymentId, double waitMs);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Model group {ModelGroup} failed with status {Status}; falling back to {FallbackGroup}")]
    public static partial void FallingBack(ILogger logger, string modelGroup, int status, string fallbackGroup);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Fallback model group {FallbackGroup} matches no model_name; skipped")]
    public static partial void UnknownFallback(ILogger logger, string fallbackGroup);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Deployment {DeploymentId} of model group {ModelGroup} cools down until {Until} after status {Status}")]
    public static partial void CooldownStarted(ILogger logger, string deploymentId, string modelGroup, DateTimeOffset until, int status);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "No deployment of model group {ModelGroup} is available: {Reason}")]
    public static partial void NoDeployments(ILogger logger, string modelGroup, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "No credential for deployment {DeploymentId} of model group {ModelGroup}: {Reason}")]
    public static partial void UpstreamCredentialFailed(ILogger logger, string modelGroup, string deploymentId, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Client of model group {ModelGroup} let no write of its stream through for {StallSeconds} s (--client-stall-timeout); connection closed and upstream call cancelled")]
    public static partial void ClientStalled(ILogger logger, string modelGroup, double stallSeconds);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Deployment {DeploymentId} of model group {ModelGroup} answered with a safety block")]
    public static partial void UpstreamBlocked(ILogger logger, string modelGroup, string deploymentId);
}
