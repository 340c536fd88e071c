namespace LlmGate.Configuration;

/// <summary><c>router_settings.routing_strategy</c>: how a deployment is chosen within a model group.</summary>
internal enum RoutingStrategyKind
{
    /// <summary><c>simple-shuffle</c>: at random, in proportion to <c>weight</c> (else <c>rpm</c>, else <c>tpm</c>).</summary>
    SimpleShuffle,

    /// <summary><c>least-busy</c>: the deployment with the fewest requests in flight.</summary>
    LeastBusy,

    /// <summary><c>latency-based-routing</c>: the lowest recent latency, with a small share of exploration.</summary>
    LatencyBased,
}
