using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Silences;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Silences;

public sealed class SilenceStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Put_ThenRestart_SilenceReadBackWhole()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(Start);
        var silence = TestSilences.Create("class=llm_api_failure,model_group=~gpt-4.*,region!=eu", Start, TimeSpan.FromHours(2));
        using (var outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time))
        {
            new SilenceStore(outbox, time, NullLogger<SilenceStore>.Instance).Put(silence);
        }

        using var reopened = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time);
        var store = new SilenceStore(reopened, time, NullLogger<SilenceStore>.Instance);

        var read = Assert.Single(store.Current);
        Assert.Equal(silence.Id, read.Id);
        Assert.Equal(silence.Matchers.Select(m => m.ToString()), read.Matchers.Select(m => m.ToString()));
        Assert.Equal((silence.StartsAt, silence.EndsAt, silence.UpdatedAt), (read.StartsAt, read.EndsAt, read.UpdatedAt));
        Assert.Equal((silence.CreatedBy, silence.Comment), (read.CreatedBy, read.Comment));
    }

    [Fact]
    public void Expire_ThenRestart_KeptExpiredUntilRetentionThenForgotten()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(Start);
        var outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time);
        var store = new SilenceStore(outbox, time, NullLogger<SilenceStore>.Instance);
        var silence = TestSilences.Create("class=llm_api_failure", Start, TimeSpan.FromHours(2));
        store.Put(silence);
        time.Advance(TimeSpan.FromMinutes(10));

        var expired = store.Expire(silence.Id)!;
        outbox.Dispose();
        using var reopened = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time);
        store = new SilenceStore(reopened, time, NullLogger<SilenceStore>.Instance);

        Assert.Equal(time.GetUtcNow(), expired.EndsAt);
        Assert.Equal(SilenceState.Expired, Assert.Single(store.Current).StateAt(time.GetUtcNow()));
        time.Advance(Silence.Retention);
        Assert.Equal(0, store.Prune());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, store.Prune());
        Assert.Empty(store.Current);
        Assert.Empty(reopened.LoadSilences());
    }

    [Fact]
    public void Merge_OlderCopy_Ignored_NewerTaken()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(Start);
        using var outbox = new SqliteAlertOutbox(SqliteAlertOutbox.PathIn(directory.Path), time);
        var store = new SilenceStore(outbox, time, NullLogger<SilenceStore>.Instance);
        var silence = TestSilences.Create("class=llm_api_failure", Start, TimeSpan.FromHours(2));
        store.Put(silence);

        Assert.False(store.Merge(silence with { Comment = "older", UpdatedAt = Start.AddSeconds(-1) }));
        Assert.True(store.Merge(silence with { Comment = "newer", UpdatedAt = Start.AddSeconds(1) }));

        Assert.Equal("newer", store.Find(silence.Id)!.Comment);
    }
}
