using System.Text.Json;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Configuration;
using LlmGate.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace LlmGate.Tests.Alerting;

public sealed class SharedStateLostNoticeTests : IDisposable
{
    private const string Password = "redis-secret-pass-1234";
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAlertOutbox _outbox;
    private readonly HttpClient _http = new();
    private readonly RedisConnection _connection;
    private readonly SharedStateLostNotice _notice;

    public SharedStateLostNoticeTests()
    {
        _outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(_directory.Path), _time);
        _connection = new RedisConnection(new RedisOptions { Host = "redis.internal", Password = Password }, _time, NullLogger<RedisConnection>.Instance);
        var options = AlertingFixture.DefaultOptions().PagerDuty!;
        var pagerDuty = new PagerDutyChannel(new PagerDutyClient(_http, options, _time), options);
        _notice = new SharedStateLostNotice(_connection, new AlertNotifier(_outbox, [pagerDuty], NullLogger<AlertNotifier>.Instance), _time);
    }

    [Fact]
    public void Observe_OutageShorterThanGrace_SendsNothing()
    {
        _connection.ReportSuccess(replicas: 2);
        _connection.ReportFailure(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down"));
        _time.Advance(SharedStateLostNotice.Grace - TimeSpan.FromSeconds(1));
        _notice.OnSyncRound();
        _connection.ReportSuccess(replicas: 2);
        _notice.OnSyncRound();

        Assert.Null(_outbox.PeekOldest(PagerDutyChannel.ChannelName));
    }

    [Fact]
    public void Observe_OutageLongerThanGrace_OneWarningTriggerThenOneResolveOnRecovery()
    {
        _connection.ReportSuccess(replicas: 2);
        _connection.ReportFailure(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down"));
        for (var i = 0; i < 90; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _notice.OnSyncRound();
        }

        _connection.ReportSuccess(replicas: 2);
        _notice.OnSyncRound();
        _notice.OnSyncRound();

        var events = Drain();
        Assert.Equal([AlertAction.Trigger, AlertAction.Resolve], events.Select(e => e.Action));
        Assert.Equal(events[0].DedupKey, events[1].DedupKey);
        var payload = JsonDocument.Parse(events[0].Payload).RootElement.GetProperty("payload");
        Assert.Equal("warning", payload.GetProperty("severity").GetString());
        Assert.Equal("llmgate_shared_state_lost", payload.GetProperty("class").GetString());
        Assert.Contains("redis.internal:6379", payload.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, events[0].Payload, StringComparison.Ordinal);
        Assert.Empty(FakePagerDutyValidation(events[0]));
    }

    [Fact]
    public void DedupKey_SameRedisOnEveryReplica_IsTheSame()
    {
        Assert.Equal(DedupKeys.ForSharedStateLost("redis.internal:6379"), DedupKeys.ForSharedStateLost("redis.internal:6379"));
        Assert.NotEqual(DedupKeys.ForSharedStateLost("redis.internal:6379"), DedupKeys.ForSharedStateLost("other:6379"));
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _http.Dispose();
        _directory.Dispose();
    }

    private static List<string> FakePagerDutyValidation(OutboxEntry entry) =>
        LlmGate.Testing.FakePagerDuty.Validate(AlertingFixture.WithRoutingKey(entry));

    private List<OutboxEntry> Drain() => AlertingFixture.Drain(_outbox, PagerDutyChannel.ChannelName);
}
