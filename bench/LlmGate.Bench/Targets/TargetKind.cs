namespace LlmGate.Bench.Targets;

/// <summary>What the load is sent to; every target forwards to (or is) the same fake upstream.</summary>
internal enum TargetKind
{
    /// <summary>The fake upstream itself: the ceiling.</summary>
    Direct,

    /// <summary>YARP's direct forwarder: the generic .NET proxy.</summary>
    BareProxy,

    /// <summary>Kestrel and HttpClient with nothing between them: what no gateway on the platform can shed (opt-in).</summary>
    MinimalProxy,

    /// <summary>LlmGate, one deployment, alerting off.</summary>
    Gateway,

    /// <summary>LlmGate, one deployment, PagerDuty alerting on with thresholds that never fire.</summary>
    GatewayPagerDuty,

    /// <summary>LlmGate, one model group of three deployments (three api_bases on the fake upstream).</summary>
    GatewayGroup,

    /// <summary>LlmGate with alerting on and its state shared through Redis (needs a redis-server; opt-in).</summary>
    GatewayRedis,

    /// <summary>LlmGate, one deployment, called with a virtual key (budget, rpm, tpm and parallel limits) on the embedded SQLite store.</summary>
    GatewayKeys,

    /// <summary>LlmGate, one <c>gemini/</c> deployment: each call translated to Gemini's API and back (opt-in).</summary>
    GatewayGemini,

    /// <summary>LlmGate, one deployment, Prometheus metrics and OpenTelemetry traces and metrics on (OTLP to the harness's sink).</summary>
    GatewayObserved,

    /// <summary>LlmGate as <see cref="Gateway"/>, with operations-console viewers signed in and streaming <c>/ui/api/events</c>.</summary>
    GatewayViewed,
}
