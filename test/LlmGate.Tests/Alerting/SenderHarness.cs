using System.Threading.Channels;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting;

/// <summary>
/// A real <see cref="AlertSender"/> delivering over HTTP to a <see cref="FakePagerDuty"/>, with its waits on a
/// <see cref="FakeTimeProvider"/>: <see cref="AdvanceThroughNextWaitAsync"/> waits until the sender has set its timer,
/// then moves the clock by exactly that wait.
/// </summary>
internal sealed class SenderHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _ownsDirectory;
    private readonly TempDirectory _directory;
    private HttpClient? _http;

    private SenderHarness(FakePagerDuty pagerDuty, TempDirectory directory, bool ownsDirectory, FakeTimeProvider time)
    {
        PagerDuty = pagerDuty;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Time = time;
        Options = AlertingFixture.DefaultOptions(pagerDuty.EventsUrl);
        Outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time);
    }

    public FakePagerDuty PagerDuty { get; }

    public FakeTimeProvider Time { get; }

    public AlertingOptions Options { get; }

    public SqliteAlertOutbox Outbox { get; }

    public FakeLogCollector Logs { get; } = new();

    public DeliveryLog DeliveryLog { get; } = new();

    public AlertSender? Sender { get; private set; }

    public static SenderHarness Create(FakePagerDuty pagerDuty, TempDirectory? directory = null, FakeTimeProvider? time = null) =>
        new(pagerDuty, directory ?? new TempDirectory(), directory is null, time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));

    public async Task StartAsync()
    {
        _http = new HttpClient();
        Sender = new AlertSender(
            Outbox,
            new PagerDutyClient(_http, Options.PagerDuty!, Time),
            Options,
            DeliveryLog,
            Time,
            new FakeLogger<AlertSender>(Logs),
            new RetryBackoff(() => 0.5)) // no jitter: factor 1
        {
            TimedWaitStarted = wait => _waits.Writer.TryWrite(wait),
        };
        await Sender.StartAsync(_stopping.Token);
    }

    public void Enqueue(string dedupKey, string action = PagerDutyEvent.Trigger) =>
        Outbox.Enqueue(action == PagerDutyEvent.Trigger ? Trigger(dedupKey) : PagerDutyEventBuilder.Resolve(dedupKey));

    public static PagerDutyEvent Trigger(string dedupKey) => PagerDutyEventBuilder.FireDrillTrigger(dedupKey, "host-1", "critical", DateTimeOffset.UnixEpoch);

    /// <summary>The length of the sender's next timed wait (back-off or rate limit), once its timer is set.</summary>
    public async Task<TimeSpan> NextWaitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _waits.Reader.ReadAsync(timeout.Token);
    }

    public async Task<TimeSpan> AdvanceThroughNextWaitAsync()
    {
        var wait = await NextWaitAsync();
        Time.Advance(wait);
        return wait;
    }

    public async Task StopAsync()
    {
        if (Sender is not null)
        {
            await Sender.StopAsync(CancellationToken.None);
            Sender.Dispose();
            Sender = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
        _http?.Dispose();
        Outbox.Dispose();
        if (_ownsDirectory)
        {
            _directory.Dispose();
        }
    }
}
