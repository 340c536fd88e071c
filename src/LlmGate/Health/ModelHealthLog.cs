using Microsoft.Extensions.Logging;

namespace LlmGate.Health;

/// <summary>Model health checks' log messages (event ids 8100-8199). Errors are scrubbed and cut short; never a key or a prompt.</summary>
internal static partial class ModelHealthLog
{
    [LoggerMessage(8101, LogLevel.Warning, "Deployment {DeploymentId} of model group {ModelGroup} failed its health check: {Error}")]
    public static partial void TurnedUnhealthy(ILogger logger, string deploymentId, string modelGroup, string error);

    [LoggerMessage(8102, LogLevel.Information, "Deployment {DeploymentId} of model group {ModelGroup} passed its health check again")]
    public static partial void Recovered(ILogger logger, string deploymentId, string modelGroup);

    [LoggerMessage(8103, LogLevel.Warning, "Deployment {DeploymentId} of model group {ModelGroup} cools down until {Until}: its health check failed with status {Status}")]
    public static partial void CooldownStarted(ILogger logger, string deploymentId, string modelGroup, DateTimeOffset until, int status);

    [LoggerMessage(8104, LogLevel.Error, "The health check of deployment {DeploymentId} of model group {ModelGroup} threw")]
    public static partial void CheckThrew(ILogger logger, Exception exception, string deploymentId, string modelGroup);

    [LoggerMessage(8105, LogLevel.Error, "A background health check round failed; the next one runs at the next interval")]
    public static partial void RoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(8106, LogLevel.Information, "Background health checks every {Interval} for {Count} deployment(s)")]
    public static partial void BackgroundStarted(ILogger logger, TimeSpan interval, int count);
}
