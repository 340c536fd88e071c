using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Calls;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Secrets;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting;

/// <summary>
/// The detection side wired as the host wires it, on a <see cref="FakeTimeProvider"/>, with a temporary outbox and the
/// PagerDuty channel (plus any <c>otherChannels</c>) to render for. <see cref="Drain"/> takes what was queued for PagerDuty.
/// </summary>
internal sealed class AlertingFixture : IDisposable
{
    public const string RoutingKey = "R0UT1NGKEY0123456789abcdef012345";
    public const string MasterKey = "sk-master-7f3a9c2e41d8";
    public const string DeploymentApiKey = "sk-proj-Q2x9Lm4Zt8Rw1Vb7";

    private readonly TempDirectory _directory;
    private readonly IReadOnlyList<IAlertChannel> _otherChannels;

    // Never sent through here: the PagerDuty channel only renders.
    private readonly HttpClient _http = new();

    public AlertingFixture(AlertingOptions? options = null, IEnumerable<string>? modelGroups = null, IReadOnlyList<IAlertChannel>? otherChannels = null)
        : this(options, modelGroups, otherChannels ?? [], new TempDirectory(), new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)))
    {
    }

    private AlertingFixture(AlertingOptions? options, IEnumerable<string>? modelGroups, IReadOnlyList<IAlertChannel> otherChannels, TempDirectory directory, FakeTimeProvider time)
    {
        _directory = directory;
        _otherChannels = otherChannels;
        Options = options ?? DefaultOptions();
        Time = time;
        Scopes = AlertScopes.Create(modelGroups ?? ["gpt-4o", "claude"], Options.PerModelGroup);
        Store = new InMemoryAlertStateStore(AlertRule.From(Options), Scopes);
        Registry = new InFlightRegistry(Options, Store, Scopes, new SecretScrubber([Options.PagerDuty?.RoutingKey, MasterKey, DeploymentApiKey]), Time);
        Calls = new CallTracker([Registry], Time);
        Outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), Time);
        IAlertChannel[] pagerDuty = Options.PagerDuty is { } p ? [new PagerDutyChannel(new PagerDutyClient(_http, p, Time), p)] : [];
        Channels = [.. pagerDuty, .. otherChannels];
        Notifier = new AlertNotifier(Outbox, Channels, new FakeLogger<AlertNotifier>(Logs));
        Detector = new AlertDetector(Registry, Store, Scopes, Options, Outbox, Notifier, Time, new FakeLogger<AlertDetector>(Logs), changes: IncidentChanges);
    }

    /// <summary>What the detector tells the console when it opens or resolves an incident.</summary>
    public IncidentChanges IncidentChanges { get; } = new();

    public AlertingOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public AlertScopes Scopes { get; }

    public InMemoryAlertStateStore Store { get; }

    public InFlightRegistry Registry { get; }

    /// <summary>Starts calls observed by <see cref="Registry"/>, as the proxy does.</summary>
    public CallTracker Calls { get; }

    public SqliteAlertOutbox Outbox { get; }

    /// <summary>PagerDuty (unless the options have none), then the other channels.</summary>
    public IReadOnlyList<IAlertChannel> Channels { get; }

    public AlertNotifier Notifier { get; }

    public AlertDetector Detector { get; }

    public FakeLogCollector Logs { get; } = new();

    public string DataDirectory => _directory.Path;

    public static AlertingOptions DefaultOptions() => new()
    {
        FailureThreshold = 5,
        FailureWindow = TimeSpan.FromSeconds(60),
        HangingThreshold = TimeSpan.FromSeconds(30),
        HangingWindow = TimeSpan.FromSeconds(600),
        HangingThresholdFails = 1,
        PagerDuty = new PagerDutyOptions { RoutingKey = RoutingKey, Source = "llmgate-test" },
    };

    /// <summary>The default options, paging the PagerDuty at <paramref name="eventsUrl"/>.</summary>
    public static AlertingOptions DefaultOptions(Uri eventsUrl)
    {
        var options = DefaultOptions();
        return options with { PagerDuty = options.PagerDuty! with { EventsUrl = eventsUrl } };
    }

    public static CallFailure ServerError(int status = 500, string message = "upstream failed") =>
        new(status, "api_error", message, FailureKind.UpstreamError);

    public void Fail(int count, string modelGroup = "gpt-4o", CallFailure? failure = null)
    {
        for (var i = 0; i < count; i++)
        {
            Calls.StartRouted(modelGroup, modelGroup + "-deployment", "openai", stream: false).Failed(failure ?? ServerError());
        }
    }

    public int Count(AlertKind kind, string scope = AlertScopes.Gateway) => Store.Count(kind, scope, Time.GetUtcNow());

    /// <summary>Advances the clock one evaluation interval at a time, evaluating at each step, as the timer would.</summary>
    public void RunFor(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += AlertDetector.EvaluationInterval)
        {
            Time.Advance(AlertDetector.EvaluationInterval);
            Detector.Evaluate();
        }
    }

    /// <summary>Everything queued for PagerDuty so far, oldest first, removed from the outbox.</summary>
    public List<OutboxEntry> Drain() => Drain(Outbox, PagerDutyChannel.ChannelName);

    /// <summary>Everything queued in <paramref name="channel"/>'s lane, oldest first, removed from <paramref name="outbox"/>.</summary>
    public static List<OutboxEntry> Drain(SqliteAlertOutbox outbox, string channel)
    {
        var entries = new List<OutboxEntry>();
        while (outbox.PeekOldest(channel) is { } entry)
        {
            entries.Add(entry);
            outbox.Delete(entry.Id);
        }

        return entries;
    }

    public static byte[] WithRoutingKey(OutboxEntry entry) => PagerDutyEventBody.WithRoutingKey(entry.Payload, RoutingKey);

    /// <summary>A process restart: new in-memory state and detector on the same data directory and clock; this fixture is left unusable.</summary>
    public AlertingFixture Restart()
    {
        Outbox.Dispose();
        _http.Dispose();
        return new AlertingFixture(Options, Scopes.All, _otherChannels, _directory, Time);
    }

    public void Dispose()
    {
        Outbox.Dispose();
        _http.Dispose();
        _directory.Dispose();
    }
}
