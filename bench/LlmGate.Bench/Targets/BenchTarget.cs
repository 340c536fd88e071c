namespace LlmGate.Bench.Targets;

/// <summary>A target's short name (for the table, the JSON and <c>--targets</c>) and what it is.</summary>
internal sealed record BenchTarget(TargetKind Kind, string Name, string Description)
{
    public static IReadOnlyList<BenchTarget> All { get; } =
    [
        new(TargetKind.Direct, "direct", "the fake upstream itself (ceiling)"),
        new(TargetKind.BareProxy, "yarp", "bare YARP direct forwarder (the generic .NET proxy)"),
        new(TargetKind.MinimalProxy, "minimal", "Kestrel + HttpClient and nothing else: the platform's own cost, which no gateway on it can shed (opt-in)"),
        new(TargetKind.Gateway, "llmgate", "LlmGate, one deployment, alerting off"),
        new(TargetKind.GatewayPagerDuty, "llmgate-pd", "LlmGate, PagerDuty alerting on (thresholds never reached)"),
        new(TargetKind.GatewayKeys, "llmgate-keys", "LlmGate, called with a virtual key (budget, rpm/tpm/parallel limits; SQLite)"),
        new(TargetKind.GatewayObserved, "llmgate-observed", "LlmGate, one deployment, Prometheus and OpenTelemetry on (opt-in; compare with llmgate)"),
        new(TargetKind.GatewayViewed, "llmgate-viewed", "LlmGate as llmgate, with --ui-viewers console viewers (default 10) streaming /ui/api/events (opt-in; compare with llmgate)"),
        new(TargetKind.GatewayGroup, "llmgate-group", "LlmGate, one model group of three deployments"),
        new(TargetKind.GatewayRedis, "llmgate-redis", "LlmGate, alerting on, state shared through Redis (opt-in: needs redis-server)"),
        new(TargetKind.GatewayGemini, "llmgate-gemini", "LlmGate, one gemini/ deployment: OpenAI calls translated to Gemini's API and back (opt-in)"),
    ];

    /// <summary>What runs without naming targets: everything that needs no other server, on OpenAI's wire format.</summary>
    public static IReadOnlyList<BenchTarget> Default { get; } = [.. All.Where(t => t.Kind is not (TargetKind.GatewayRedis or TargetKind.GatewayGemini or TargetKind.GatewayObserved or TargetKind.GatewayViewed or TargetKind.MinimalProxy))];

    public bool IsGateway => Kind is TargetKind.Gateway or TargetKind.GatewayKeys or TargetKind.GatewayObserved or TargetKind.GatewayViewed or TargetKind.GatewayPagerDuty or TargetKind.GatewayGroup or TargetKind.GatewayRedis or TargetKind.GatewayGemini;

    public bool HasAlerting => Kind is TargetKind.GatewayPagerDuty or TargetKind.GatewayRedis;

    /// <summary>The key the load is sent with: the master key, or the virtual key made for <c>llmgate-keys</c>.</summary>
    public string ApiKey => Kind == TargetKind.GatewayKeys ? GatewayConfigFile.VirtualKey : GatewayConfigFile.MasterKey;

    /// <summary>Ports the fake upstream listens on for this target: one per deployment.</summary>
    public int UpstreamPorts => Kind == TargetKind.GatewayGroup ? 3 : 1;

    public static BenchTarget Find(string name) =>
        All.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown target '{name}'; known: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
}
