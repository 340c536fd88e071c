namespace LlmGate.Health;

/// <summary>The last health check of one deployment: a tiny real call, as LiteLLM's <c>/health</c> makes.</summary>
internal sealed record ModelHealthResult(string DeploymentId, string ModelGroup, bool Healthy, string? Error, TimeSpan Latency, DateTimeOffset CheckedAt);
