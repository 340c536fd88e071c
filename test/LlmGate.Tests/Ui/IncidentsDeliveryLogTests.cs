using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;

namespace LlmGate.Tests.Ui;

public sealed class IncidentsDeliveryLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static DeliveryResult Attempt(int i) =>
        new(Start.AddSeconds(i), "pagerduty", AlertAction.Trigger, $"key-{i}", Delivered: i % 2 == 0, StatusCode: 202, Message: $"attempt {i}");

    [Fact]
    public void Recent_FewAttempts_AllNewestFirst()
    {
        var log = new DeliveryLog();
        for (var i = 0; i < 3; i++)
        {
            log.Record(Attempt(i));
        }

        Assert.Equal(["key-2", "key-1", "key-0"], log.Recent().Select(r => r.DedupKey));
    }

    [Fact]
    public void Recent_MoreThanCapacity_KeepsOnlyTheNewest()
    {
        var log = new DeliveryLog();
        var total = DeliveryLog.RecentCapacity + 137;
        for (var i = 0; i < total; i++)
        {
            log.Record(Attempt(i));
        }

        var recent = log.Recent();

        Assert.Equal(DeliveryLog.RecentCapacity, recent.Count);
        Assert.Equal($"key-{total - 1}", recent[0].DedupKey);
        Assert.Equal($"key-{total - DeliveryLog.RecentCapacity}", recent[^1].DedupKey);
        Assert.True(recent.Zip(recent.Skip(1)).All(p => p.First.At > p.Second.At));
    }

    [Fact]
    public void Recent_NothingRecorded_Empty()
    {
        Assert.Empty(new DeliveryLog().Recent());
    }
}
