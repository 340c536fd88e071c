using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting;

public sealed class AlertSenderTests
{
    [Fact]
    public async Task Deliver_Answers500Then429Then202_EachEventDeliveredOnceInOrder()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        pagerDuty.ScriptResponses(500, 429);
        harness.Enqueue("incident-1");
        harness.Enqueue("incident-1", AlertAction.Resolve);
        await harness.StartAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(500), await harness.AdvanceThroughNextWaitAsync());
        Assert.Equal(TimeSpan.FromSeconds(1), await harness.AdvanceThroughNextWaitAsync());
        await pagerDuty.WaitForEventsAsync(2, SenderHarness.Patience);

        Assert.Equal([500, 429, 202, 202], pagerDuty.Requests.Select(r => r.StatusCode));
        Assert.Equal(["trigger", "resolve"], pagerDuty.Events.Select(e => e.EventAction));
        Assert.Equal(FakeIncidentState.Resolved, pagerDuty.Incident("incident-1")!.State);
        Assert.All(pagerDuty.Events, e => Assert.Equal(AlertingFixture.RoutingKey, e.RoutingKey));
    }

    [Fact]
    public async Task Deliver_Answer400_NotRetriedAndLoggedWithErrors()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        pagerDuty.ScriptResponses(400);
        harness.Enqueue("rejected");
        harness.Enqueue("accepted");
        await harness.StartAsync();

        await pagerDuty.WaitForEventsAsync(1, SenderHarness.Patience);

        Assert.Equal([400, 202], pagerDuty.Requests.Select(r => r.StatusCode));
        Assert.Equal("accepted", Assert.Single(pagerDuty.Events).DedupKey);
        var rejection = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Id == 5005);
        Assert.Contains("scripted rejection", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AlertingFixture.RoutingKey, rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_RetryAfterHeader_WaitsThatLong()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        pagerDuty.ScriptResponse(429, TimeSpan.FromSeconds(30));
        harness.Enqueue("incident-1");
        await harness.StartAsync();

        Assert.Equal(TimeSpan.FromSeconds(30), await harness.AdvanceThroughNextWaitAsync());
        await pagerDuty.WaitForEventsAsync(1, SenderHarness.Patience);

        Assert.Equal([429, 202], pagerDuty.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Deliver_ServerKeepsFailing_BackOffDoublesUpToSixtySeconds()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        pagerDuty.ScriptResponses(Enumerable.Repeat(503, 9).ToArray());
        harness.Enqueue("incident-1");
        await harness.StartAsync();

        var waits = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            waits.Add((await harness.AdvanceThroughNextWaitAsync()).TotalSeconds);
        }

        await pagerDuty.WaitForEventsAsync(1, SenderHarness.Patience);
        Assert.Equal([0.5, 1, 2, 4, 8, 16, 32, 60, 60], waits);
        Assert.Equal(10, pagerDuty.Requests.Count);
    }

    [Fact]
    public async Task Deliver_ManyEventsAtOnce_KeepsUnderRateLimit()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        for (var i = 0; i < 14; i++)
        {
            harness.Enqueue($"incident-{i}");
        }

        await harness.StartAsync();

        Assert.Equal(DeliveryRateLimit.PagerDuty.RefillInterval, await harness.NextWaitAsync());
        Assert.Equal(DeliveryRateLimit.PagerDuty.Capacity, pagerDuty.Events.Count); // the burst, then the clock must move

        for (var i = 0; i < 4; i++)
        {
            harness.Time.Advance(DeliveryRateLimit.PagerDuty.RefillInterval);
            await pagerDuty.WaitForEventsAsync(DeliveryRateLimit.PagerDuty.Capacity + i + 1, SenderHarness.Patience);
            if (i < 3)
            {
                Assert.Equal(DeliveryRateLimit.PagerDuty.RefillInterval, await harness.NextWaitAsync());
            }
        }

        Assert.Equal(Enumerable.Range(0, 14).Select(i => $"incident-{i}"), pagerDuty.Events.Select(e => e.DedupKey));
    }

    [Fact]
    public async Task Deliver_RetryDueFarAheadAfterTheClockSteppedBack_WaitsNoLongerThanTheLongestBackOff()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        harness.Enqueue("incident-1");
        var queued = harness.Outbox.PeekOldest(PagerDutyChannel.ChannelName)!;
        harness.Outbox.Reschedule(queued.Id, 1, harness.Time.GetUtcNow().AddHours(3)); // written before the wall clock went back 3 h

        await harness.StartAsync();

        Assert.Equal(RetryBackoff.MaxRetryAfter, await harness.NextWaitAsync());
    }

    [Fact]
    public async Task Outbox_ReopenedAfterRestart_NewSenderDeliversPendingEvent()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        using var directory = new TempDirectory();
        await using (var beforeCrash = SenderHarness.Create(pagerDuty, directory))
        {
            pagerDuty.ScriptResponses(503);
            beforeCrash.Enqueue("incident-1");
            await beforeCrash.StartAsync();
            await beforeCrash.NextWaitAsync(); // PagerDuty failed once; the process dies during the back-off
        }

        await using var afterRestart = SenderHarness.Create(pagerDuty, directory);
        Assert.Equal(1, afterRestart.Outbox.Count());
        await afterRestart.StartAsync();
        await afterRestart.AdvanceThroughNextWaitAsync(); // the back-off survives the restart too

        await pagerDuty.WaitForEventsAsync(1, SenderHarness.Patience);
        Assert.Equal("incident-1", Assert.Single(pagerDuty.Events).DedupKey);
    }

    [Fact]
    public async Task Outbox_StoredRow_HoldsNoRoutingKey()
    {
        using var directory = new TempDirectory();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using (var outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time))
        {
            outbox.Enqueue("incident-1", AlertAction.Trigger, [new ChannelPayload(PagerDutyChannel.ChannelName, SenderHarness.Trigger("incident-1").BodyWithoutRoutingKey)]);
            var row = outbox.PeekOldest(PagerDutyChannel.ChannelName)!;
            Assert.DoesNotContain("routing_key", row.Payload, StringComparison.Ordinal);
        }

        foreach (var file in Directory.GetFiles(directory.Path))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(AlertingFixture.RoutingKey, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Stop_WhileBackingOff_StopsPromptlyAndKeepsEventQueued()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        pagerDuty.ScriptResponses(500);
        harness.Enqueue("incident-1");
        await harness.StartAsync();
        await harness.NextWaitAsync();

        await harness.StopAsync().WaitAsync(SenderHarness.Patience);

        Assert.Equal(1, harness.Outbox.Count());
        Assert.Empty(pagerDuty.Events);
    }

    [Fact]
    public async Task Deliver_PagerDutyUnreachable_RetriedAsNetworkError()
    {
        Uri unreachable;
        await using (var gone = await FakePagerDuty.StartAsync())
        {
            unreachable = gone.EventsUrl;
        }

        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        var options = harness.Options with { EventsUrl = unreachable };
        using var http = new HttpClient();
        var answer = await new PagerDutyClient(http, options, harness.Time).SendAsync(
            PagerDutyEventBody.WithRoutingKey(SenderHarness.Trigger("x").BodyWithoutRoutingKey, AlertingFixture.RoutingKey), CancellationToken.None);

        Assert.Null(answer.StatusCode);
        Assert.True(answer.IsRetryable);
        Assert.NotNull(answer.Error);
    }

    [Theory]
    [InlineData(202, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(413, false)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    public void IsRetryable_EachStatus_RetriesOnlyTransientFailures(int status, bool retryable) =>
        Assert.Equal(retryable, new PagerDutyAnswer(status, "{}", null, null).IsRetryable);

    [Fact]
    public async Task Deliver_AcceptedEvent_BodyIsWhatWasQueuedPlusRoutingKey()
    {
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        harness.Enqueue("incident-1");
        await harness.StartAsync();
        await pagerDuty.WaitForEventsAsync(1, SenderHarness.Patience);

        using var sent = JsonDocument.Parse(pagerDuty.Events[0].RawBody);
        Assert.Equal(AlertingFixture.RoutingKey, sent.RootElement.GetProperty("routing_key").GetString());
        Assert.Equal("incident-1", sent.RootElement.GetProperty("dedup_key").GetString());
    }
}
