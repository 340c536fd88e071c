using LlmGate.Configuration;
using LlmGate.Health;
using LlmGate.Providers;
using LlmGate.Proxy;
using LlmGate.Routing;
using LlmGate.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Health;

/// <summary>
/// The health checks as the gateway wires them, from a YAML config, on a fake clock: the real forwarder and adapters
/// (calling fakes on 127.0.0.1), the store, an in-memory cooldown store and a listener that records cooldowns.
/// </summary>
internal sealed class HealthHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly UpstreamClient _client = new();

    public HealthHarness(string yaml)
    {
        var loaded = ConfigLoader.LoadText(yaml, "health-test.yaml", _ => null);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Errors));
        Config = loaded.Config!;
        Snapshots = new GatewaySnapshotSource(new GatewaySnapshot(Config, new RouteTable(Config.Deployments, ProviderAdapters.CreateDefault(Time), _ => null)));
        Cooldowns = new InMemoryCooldownStore(Config.Router);
        var forwarder = new UpstreamForwarder(_client, Time, new FakeLogger<UpstreamForwarder>(Logs));
        Checker = new ModelHealthChecker(forwarder, Store, Snapshots, UploadFolder.Default, Time, new FakeLogger<ModelHealthChecker>(Logs));
        Background = new BackgroundHealthChecks(Checker, Snapshots, new DeploymentCooldowns(Cooldowns, [Listener]), Time, new FakeLogger<BackgroundHealthChecks>(Logs));
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public GatewayConfig Config { get; }

    public GatewaySnapshotSource Snapshots { get; }

    public ModelHealthStore Store { get; } = new();

    public InMemoryCooldownStore Cooldowns { get; }

    public RecordingCooldownListener Listener { get; } = new();

    public FakeLogCollector Logs { get; } = new();

    public ModelHealthChecker Checker { get; }

    public BackgroundHealthChecks Background { get; }

    /// <summary>Every deployment of the config that a check can call, in config order.</summary>
    public IReadOnlyList<HealthTarget> Targets =>
        [.. Snapshots.Current.Routes.Groups.SelectMany(g => g.Deployments.Select(d => HealthTarget.For(g, d))).OfType<HealthTarget>()];

    public int LogCount(int eventId) => Logs.GetSnapshot().Count(r => r.Id.Id == eventId);

    public static string Deployment(string group, FakeUpstream upstream, string id, string modelInfo = "") => $$"""
          - model_name: {{group}}
            litellm_params:
              model: openai/{{group}}-upstream
              api_base: {{upstream.ApiBase}}
              api_key: {{upstream.ApiKey}}
            model_info: {id: {{id}}{{modelInfo}}}
        """;

    public void Dispose()
    {
        Background.Dispose();
        _client.Dispose();
    }
}
