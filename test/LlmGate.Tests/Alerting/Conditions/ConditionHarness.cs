using LlmGate.Alerting;
using LlmGate.Alerting.Conditions;
using LlmGate.Alerting.Delivery;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Secrets;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Conditions;

/// <summary>
/// The conditions wired as the host wires them, on a <see cref="FakeTimeProvider"/>, queuing through the real notifier
/// and outbox to a <see cref="RecordingChannel"/>. Deployments: <c>d1</c>, <c>d2</c> (gpt-4o, bedrock us-east-1) and
/// <c>d3</c> (claude, no region).
/// </summary>
internal sealed class ConditionHarness : IDisposable
{
    public const string ApiKey = "sk-proj-Q2x9Lm4Zt8Rw1Vb7";

    private readonly TempDirectory _directory = new();
    private readonly IReadOnlyList<DeploymentConfig>? _deployments;
    private readonly IReadOnlyCollection<string>? _types;
    private readonly IConditionClaims? _claims;
    private SqliteAlertOutbox _outbox = null!;

    public ConditionHarness(
        AlertingOptions options, IReadOnlyList<DeploymentConfig>? deployments = null, IReadOnlyCollection<string>? types = null, IConditionClaims? claims = null)
    {
        Options = options;
        (_deployments, _types, _claims) = (deployments, types, claims);
        Start();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public AlertingOptions Options { get; }

    public RecordingChannel Channel { get; } = new();

    public ConditionSet Set { get; private set; } = null!;

    public ConditionMonitor Monitor { get; private set; } = null!;

    public CallTracker Calls { get; private set; } = null!;

    public FakeLogCollector Logs { get; } = new();

    public static IReadOnlyList<DeploymentConfig> DefaultDeployments() =>
    [
        Deployment("d1", "gpt-4o", "bedrock/anthropic.claude", "us-east-1"),
        Deployment("d2", "gpt-4o", "bedrock/anthropic.claude", "us-east-1"),
        Deployment("d3", "claude", "anthropic/claude-3", null),
    ];

    public static DeploymentConfig Deployment(string id, string group, string model, string? region) => new()
    {
        Id = id,
        ModelName = group,
        Model = model,
        ApiKey = ApiKey,
        ApiBase = $"https://{id}.example.com/v1?key=secret-in-query",
        ProviderParams = region is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["aws_region_name"] = region },
    };

    /// <summary>Moves the clock and runs one evaluation, as the monitor's timer does.</summary>
    public void Step(TimeSpan? by = null)
    {
        Time.Advance(by ?? ConditionMonitor.EvaluationInterval);
        Monitor.Evaluate();
    }

    /// <summary>Steps a second at a time for <paramref name="duration"/>.</summary>
    public void RunFor(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += ConditionMonitor.EvaluationInterval)
        {
            Step();
        }
    }

    public CallContext Start(string group, string deployment, string provider = "bedrock")
    {
        var call = Calls.Start(CallerIdentity.MasterKey);
        call.Routed(group, stream: false);
        call.StartAttempt(group, deployment, provider);
        return call;
    }

    public void Fail(string group, string deployment, int status, FailureKind kind = FailureKind.UpstreamError, string message = "upstream failed") =>
        Start(group, deployment).Failed(new CallFailure(status, "api_error", message, kind));

    /// <summary>A stop and a start on the same data directory: the conditions begin again from the outbox alone.</summary>
    public void Restart()
    {
        Monitor.Dispose();
        _outbox.Dispose();
        Start();
    }

    public void Dispose()
    {
        Monitor.Dispose();
        _outbox.Dispose();
        _directory.Dispose();
    }

    private void Start()
    {
        _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), Time);
        var notifier = new AlertNotifier(_outbox, [Channel], new FakeLogger<AlertNotifier>(Logs));
        var catalog = ConditionCatalog.From(_deployments ?? DefaultDeployments(), d => ProviderCatalog.Split(d.Model).Provider);
        var context = new ConditionContext(Options, catalog, notifier, new SecretScrubber([ApiKey]), Time, new FakeLogger<ConditionMonitor>(Logs)) { Claims = _claims };
        Set = new ConditionSet(context, _types ?? ConditionSelection.Types);
        Monitor = new ConditionMonitor(Set, Time, new FakeLogger<ConditionMonitor>(Logs));
        Calls = new CallTracker([new ConditionObserver(Set)], Time);
    }
}
