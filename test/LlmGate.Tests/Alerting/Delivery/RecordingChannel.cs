using System.Globalization;
using System.Threading.Channels;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;

namespace LlmGate.Tests.Alerting.Delivery;

/// <summary>
/// A hand-written channel, as a second channel beside PagerDuty: renders a notification as <c>action|dedup_key|class|count</c>
/// and keeps every notification it rendered; answers each send as <see cref="Answer"/> says (delivered by default), or
/// never answers while <see cref="Hangs"/> (until shutdown).
/// </summary>
internal sealed class RecordingChannel(string name = "recording", string? kind = null) : IAlertChannel
{
    public static readonly DeliveryAnswer Delivered = new(true, false, 200, null, "ok");
    public static readonly DeliveryAnswer Unavailable = new(false, true, 503, null, "unavailable");

    private readonly Lock _lock = new();
    private readonly List<AlertNotification> _rendered = [];
    private readonly Channel<string> _attempts = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public string Name => name;

    public string Kind => kind ?? name;

    public DeliveryRateLimit RateLimit => DeliveryRateLimit.PagerDuty;

    public DeliveryAnswer Answer { get; set; } = Delivered;

    public bool Hangs { get; set; }

    public bool RenderThrows { get; set; }

    public IReadOnlyList<AlertNotification> Rendered
    {
        get
        {
            lock (_lock)
            {
                return [.. _rendered];
            }
        }
    }

    public string Render(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (RenderThrows)
        {
            throw new InvalidOperationException("a rendering bug");
        }

        lock (_lock)
        {
            _rendered.Add(notification);
        }

        var count = notification.Breach?.Window.Count.ToString(CultureInfo.InvariantCulture) ?? "-";
        return $"{notification.Action}|{notification.DedupKey}|{notification.ClassName}|{count}";
    }

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        _attempts.Writer.TryWrite(payload);
        if (Hangs)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }

        return Answer;
    }

    /// <summary>The payload of the next send attempt, once it was made.</summary>
    public async Task<string> NextAttemptAsync()
    {
        using var timeout = new CancellationTokenSource(SenderHarness.Patience);
        return await _attempts.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Attempts made and not yet taken by <see cref="NextAttemptAsync"/>.</summary>
    public int UnreadAttempts => _attempts.Reader.Count;
}
