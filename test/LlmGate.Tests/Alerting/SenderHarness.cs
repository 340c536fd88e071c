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
/// A real <see cref="AlertSender"/> delivering the PagerDuty channel's lane over HTTP to a <see cref="FakePagerDuty"/>, with its waits on a
/// <see cref="FakeTimeProvider"/>: <see cref="AdvanceThroughNextWaitAsync"/> waits until the sender has set its timer,
/// then moves the clock by exactly that wait; <see cref="WaitForAnswersAsync"/> waits until PagerDuty's answers are back,
/// so that moving the clock cannot time out a send in flight. <see cref="StartSenderAsync"/> adds the sender of another channel on the
/// same outbox (its waits reported to its own callback).
/// </summary>
internal sealed class SenderHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Channel<TimeSpan> _waits = System.Threading.Channels.Channel.CreateUnbounded<TimeSpan>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _ownsDirectory;
    private readonly TempDirectory _directory;
    private readonly HttpClient _http = new();
    private readonly List<AlertSender> _otherSenders = [];
    private readonly WatchedChannel _watchedChannel;

    private SenderHarness(FakePagerDuty pagerDuty, TempDirectory directory, bool ownsDirectory, FakeTimeProvider time)
    {
        PagerDuty = pagerDuty;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Time = time;
        Options = AlertingFixture.DefaultOptions(pagerDuty.EventsUrl).PagerDuty!;
        Outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time);
        Channel = new PagerDutyChannel(new PagerDutyClient(_http, Options, Time), Options);
        _watchedChannel = new WatchedChannel(Channel);
    }

    public FakePagerDuty PagerDuty { get; }

    public FakeTimeProvider Time { get; }

    public PagerDutyOptions Options { get; }

    public SqliteAlertOutbox Outbox { get; }

    public PagerDutyChannel Channel { get; }

    public FakeLogCollector Logs { get; } = new();

    public DeliveryLog DeliveryLog { get; } = new();

    public AlertSender? Sender { get; private set; }

    public static SenderHarness Create(FakePagerDuty pagerDuty, TempDirectory? directory = null, FakeTimeProvider? time = null) =>
        new(pagerDuty, directory ?? new TempDirectory(), directory is null, time ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));

    public async Task StartAsync()
    {
        Sender = new AlertSender(
            Outbox,
            _watchedChannel,
            DeliveryLog,
            Time,
            new FakeLogger<AlertSender>(Logs),
            new RetryBackoff(() => 0.5)) // no jitter: factor 1
        {
            TimedWaitStarted = wait => _waits.Writer.TryWrite(wait),
        };
        await Sender.StartAsync(_stopping.Token);
    }

    public async Task StartSenderAsync(IAlertChannel channel, Action<TimeSpan>? timedWaitStarted = null)
    {
        var sender = new AlertSender(Outbox, channel, DeliveryLog, Time, new FakeLogger<AlertSender>(Logs), new RetryBackoff(() => 0.5))
        {
            TimedWaitStarted = timedWaitStarted,
        };
        _otherSenders.Add(sender);
        await sender.StartAsync(_stopping.Token);
    }

    public void Enqueue(string dedupKey, AlertAction action = AlertAction.Trigger) =>
        Enqueue(dedupKey, action, (action == AlertAction.Trigger ? Trigger(dedupKey) : PagerDutyEventBuilder.Resolve(dedupKey)).BodyWithoutRoutingKey);

    /// <summary>Queues <paramref name="body"/> (without routing key) in the PagerDuty lane.</summary>
    public void Enqueue(string dedupKey, AlertAction action, string body) =>
        Outbox.Enqueue(dedupKey, action, [new ChannelPayload(PagerDutyChannel.ChannelName, body)]);

    public static PagerDutyEvent Trigger(string dedupKey) => PagerDutyEventBuilder.FireDrillTrigger(dedupKey, "host-1", "critical", DateTimeOffset.UnixEpoch);

    /// <summary>The length of the sender's next timed wait (back-off or rate limit), once its timer is set.</summary>
    public async Task<TimeSpan> NextWaitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _waits.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>
    /// Completes once the sender has PagerDuty's answer to <paramref name="count"/> sends in all. PagerDuty counts an
    /// event before its answer is back, and until then the send's timeout is a timer on <see cref="Time"/>: await this
    /// before moving the clock while the sender may be sending.
    /// </summary>
    public Task WaitForAnswersAsync(int count) => _watchedChannel.WaitForAnswersAsync(count, Patience);

    public async Task<TimeSpan> AdvanceThroughNextWaitAsync()
    {
        var wait = await NextWaitAsync();
        Time.Advance(wait);
        return wait;
    }

    public async Task StopAsync()
    {
        foreach (var sender in _otherSenders)
        {
            await sender.StopAsync(CancellationToken.None);
            sender.Dispose();
        }

        _otherSenders.Clear();
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
        _http.Dispose();
        Outbox.Dispose();
        if (_ownsDirectory)
        {
            _directory.Dispose();
        }
    }
}
