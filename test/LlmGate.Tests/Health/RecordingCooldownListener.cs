using System.Collections.Concurrent;
using LlmGate.Routing;

namespace LlmGate.Tests.Health;

internal sealed class RecordingCooldownListener : ICooldownListener
{
    public ConcurrentQueue<(string DeploymentId, string ModelGroup, int Status, DateTimeOffset Until)> Started { get; } = new();

    public void OnCooldownStarted(string deploymentId, string modelGroup, int status, DateTimeOffset until) => Started.Enqueue((deploymentId, modelGroup, status, until));
}
