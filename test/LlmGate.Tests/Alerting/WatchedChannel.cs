using System.Threading.Channels;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;

namespace LlmGate.Tests.Alerting;

/// <summary>
/// Passes everything to <paramref name="inner"/> and tells a test when each send has its answer back. A far end that
/// counted an event has not yet answered the sender: until it has, the send's timeout is a timer on the sender's clock,
/// and a test that moves a fake clock past it turns a delivered event into a retry. Such a test awaits
/// <see cref="WaitForAnswersAsync"/> first.
/// </summary>
internal sealed class WatchedChannel(IAlertChannel inner) : IAlertChannel
{
    public string Kind => inner.Kind;

    public DeliveryRateLimit RateLimit => inner.RateLimit;

    private readonly Channel<DeliveryAnswer> _answers = System.Threading.Channels.Channel.CreateUnbounded<DeliveryAnswer>();
    private int _awaited;

    public string Name => inner.Name;

    public string Render(AlertNotification notification) => inner.Render(notification);

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        var answer = await inner.SendAsync(payload, cancellationToken);
        _answers.Writer.TryWrite(answer);
        return answer;
    }

    /// <summary>Completes once <paramref name="count"/> sends in all have their answer back (one test awaits, not several at once).</summary>
    public async Task WaitForAnswersAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        for (; _awaited < count; _awaited++)
        {
            await _answers.Reader.ReadAsync(deadline.Token);
        }
    }
}
