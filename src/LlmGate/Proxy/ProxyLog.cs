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

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Deployment {DeploymentId} of model group {ModelGroup} cannot be called: {Reason}")]
    public static partial void DeploymentUnusable(ILogger logger, string modelGroup, string deploymentId, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Client went away during a call to model group {ModelGroup}; upstream call cancelled")]
    public static partial void ClientDisconnected(ILogger logger, string modelGroup);
}
