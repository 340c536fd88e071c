using LlmGate.Proxy;

namespace LlmGate.Health;

/// <summary>One deployment's health check: the result <c>/health</c> and <c>/metrics</c> show, and the failure the router may cool it down for.</summary>
/// <param name="Failure">The upstream's failure, as a client's attempt would have got it; null when healthy or when no call was made.</param>
internal sealed record HealthCheckOutcome(HealthTarget Target, ModelHealthResult Result, AttemptFailure? Failure);
