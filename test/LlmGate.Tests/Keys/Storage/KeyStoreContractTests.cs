using LlmGate.Keys;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Keys.Storage;

/// <summary>
/// What every <see cref="IKeyStore"/> must do, run against each store by a subclass that supplies a fresh, empty
/// database per test. Times carry milliseconds, the precision the contract promises.
/// </summary>
public abstract class KeyStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private readonly List<IKeyStore> _stores = [];
    private string _location = "";

    protected FakeTimeProvider Time { get; } = new(Start);

    private protected IKeyStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _location = await CreateLocationAsync();
        Store = Open();
        await Store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DeleteLocationAsync(_location);
    }

    [StoreFact]
    public async Task CreateKey_ThenFindByTokenAndAlias_EveryFieldRoundTrips()
    {
        var key = Key("t1") with
        {
            KeyAlias = "alias-1",
            Models = ["gpt-4o", "openai/*"],
            Spend = 1.25,
            Limits = new EntityLimits
            {
                MaxBudget = 10.5,
                SoftBudget = 8,
                BudgetDuration = "30d",
                BudgetResetAt = Start.AddDays(30).AddMilliseconds(7),
                RpmLimit = 60,
                TpmLimit = 100_000,
                MaxParallelRequests = 4,
            },
            Expires = Start.AddHours(5).AddMilliseconds(999),
            Metadata = """{"b": [1, 2],  "a":"x"}""",
            TeamId = "team-1",
            UserId = "user-1",
            Blocked = true,
            CreatedAt = Start.AddMinutes(-1).AddMilliseconds(1),
            UpdatedAt = Start.AddMinutes(-1).AddMilliseconds(2),
            CreatedBy = "default_user_id",
        };

        await Store.CreateKeyAsync(key, CancellationToken.None);

        AssertSameKey(key, await Store.FindKeyAsync("t1", CancellationToken.None));
        AssertSameKey(key, await Store.FindKeyByAliasAsync("alias-1", CancellationToken.None));
        Assert.Null(await Store.FindKeyAsync("absent", CancellationToken.None));
        Assert.Null(await Store.FindKeyByAliasAsync("absent", CancellationToken.None));
    }

    [StoreFact]
    public async Task CreateKey_NoTimes_StampedWithTheStoresClock()
    {
        await Store.CreateKeyAsync(Key("t1"), CancellationToken.None);

        var found = await Store.FindKeyAsync("t1", CancellationToken.None);
        Assert.Equal(Start, found!.CreatedAt);
        Assert.Equal(Start, found.UpdatedAt);
        Assert.Empty(found.Models);
        Assert.Equal("{}", found.Metadata);
        Assert.Equal(EntityLimits.None, found.Limits);
    }

    [StoreFact]
    public async Task CreateKey_TokenOrAliasTaken_Conflict()
    {
        await Store.CreateKeyAsync(Key("t1") with { KeyAlias = "a" }, CancellationToken.None);

        await Assert.ThrowsAsync<KeyStoreConflictException>(() => Store.CreateKeyAsync(Key("t1"), CancellationToken.None));
        await Assert.ThrowsAsync<KeyStoreConflictException>(() => Store.CreateKeyAsync(Key("t2") with { KeyAlias = "a" }, CancellationToken.None));

        // Keys without an alias never conflict with each other.
        await Store.CreateKeyAsync(Key("t3"), CancellationToken.None);
        await Store.CreateKeyAsync(Key("t4"), CancellationToken.None);
        Assert.Equal(3, (await Store.ListKeysAsync(new KeyListQuery(), CancellationToken.None)).TotalCount);
    }

    [StoreFact]
    public async Task UpdateKey_ReplacesEverythingButSpendAndCreatedAt()
    {
        await Store.CreateKeyAsync(Key("t1") with { Spend = 3, KeyAlias = "old", Models = ["a"] }, CancellationToken.None);
        await Store.CreateKeyAsync(Key("t2") with { KeyAlias = "taken" }, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(5));

        var updated = Key("t1") with
        {
            KeyName = "sk-...new",
            KeyAlias = "new",
            Models = ["b", "c"],
            Spend = 99,
            Limits = new EntityLimits { MaxBudget = 1 },
            Metadata = """{"k":1}""",
            TeamId = "team-2",
            Blocked = true,
        };
        Assert.True(await Store.UpdateKeyAsync(updated, CancellationToken.None));

        var found = await Store.FindKeyAsync("t1", CancellationToken.None);
        Assert.Equal(3, found!.Spend);
        Assert.Equal("sk-...new", found.KeyName);
        Assert.Equal("new", found.KeyAlias);
        Assert.Equal(["b", "c"], found.Models);
        Assert.Equal(1, found.Limits.MaxBudget);
        Assert.Equal("""{"k":1}""", found.Metadata);
        Assert.Equal("team-2", found.TeamId);
        Assert.True(found.Blocked);
        Assert.Equal(Start, found.CreatedAt);
        Assert.Equal(Start.AddSeconds(5), found.UpdatedAt);
        Assert.Null(await Store.FindKeyByAliasAsync("old", CancellationToken.None));

        Assert.False(await Store.UpdateKeyAsync(Key("absent"), CancellationToken.None));
        await Assert.ThrowsAsync<KeyStoreConflictException>(() => Store.UpdateKeyAsync(updated with { KeyAlias = "taken" }, CancellationToken.None));
    }

    [StoreFact]
    public async Task SetKeySpend_SetsIt_FalseWhenAbsent()
    {
        await Store.CreateKeyAsync(Key("t1") with { Spend = 7 }, CancellationToken.None);

        Assert.True(await Store.SetKeySpendAsync("t1", 0.5, CancellationToken.None));
        Assert.False(await Store.SetKeySpendAsync("absent", 1, CancellationToken.None));

        Assert.Equal(0.5, (await Store.FindKeyAsync("t1", CancellationToken.None))!.Spend);
    }

    [StoreFact]
    public async Task ReplaceKeyToken_MovesTheKeyKeepingItsFields_BothTokensChange()
    {
        var key = Key("old") with { KeyAlias = "a", Spend = 2, TeamId = "team", Models = ["m"] };
        await Store.CreateKeyAsync(key, CancellationToken.None);
        var before = await Store.ChangesSinceAsync(0, CancellationToken.None);

        Assert.True(await Store.ReplaceKeyTokenAsync("old", "new", "sk-...wxyz", CancellationToken.None));

        Assert.Null(await Store.FindKeyAsync("old", CancellationToken.None));
        var moved = await Store.FindKeyAsync("new", CancellationToken.None);
        Assert.Equal("sk-...wxyz", moved!.KeyName);
        Assert.Equal(("a", 2.0, "team"), (moved.KeyAlias, moved.Spend, moved.TeamId));
        Assert.Equal(["m"], moved.Models);
        var changes = await Store.ChangesSinceAsync(before.LastSequence, CancellationToken.None);
        Assert.Equal([new(SpendEntityKind.Key, "old"), new(SpendEntityKind.Key, "new")], changes.Changes);

        Assert.False(await Store.ReplaceKeyTokenAsync("old", "newer", "x", CancellationToken.None));
    }

    [StoreFact]
    public async Task DeleteKeys_ReturnsTheTokensThatExisted()
    {
        await Store.CreateKeyAsync(Key("t1"), CancellationToken.None);
        await Store.CreateKeyAsync(Key("t2"), CancellationToken.None);

        var deleted = await Store.DeleteKeysAsync(["t2", "absent", "t1"], CancellationToken.None);

        Assert.Equal(["t1", "t2"], deleted.Order(StringComparer.Ordinal));
        Assert.Null(await Store.FindKeyAsync("t1", CancellationToken.None));
        Assert.Empty(await Store.DeleteKeysAsync(["t1"], CancellationToken.None));
    }

    [StoreFact]
    public async Task ListKeys_NewestFirst_PagedWithTotal_Filtered()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Store.CreateKeyAsync(Key($"t{i}") with { UserId = i % 2 == 0 ? "even" : "odd", TeamId = i <= 2 ? "early" : null, KeyAlias = $"alias{i}" }, CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await Store.ListKeysAsync(new KeyListQuery { Page = 1, Size = 2 }, CancellationToken.None);
        var third = await Store.ListKeysAsync(new KeyListQuery { Page = 3, Size = 2 }, CancellationToken.None);
        var beyond = await Store.ListKeysAsync(new KeyListQuery { Page = 4, Size = 2 }, CancellationToken.None);

        Assert.Equal(["t5", "t4"], first.Keys.Select(k => k.Token));
        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["t1"], third.Keys.Select(k => k.Token));
        Assert.Equal((0, 5), (beyond.Keys.Count, beyond.TotalCount));
        Assert.Equal(["t5", "t3", "t1"], (await Store.ListKeysAsync(new KeyListQuery { UserId = "odd" }, CancellationToken.None)).Keys.Select(k => k.Token));
        Assert.Equal(["t2", "t1"], (await Store.ListKeysAsync(new KeyListQuery { TeamId = "early" }, CancellationToken.None)).Keys.Select(k => k.Token));
        Assert.Equal(["t4"], (await Store.ListKeysAsync(new KeyListQuery { KeyAlias = "alias4" }, CancellationToken.None)).Keys.Select(k => k.Token));
        var byHash = await Store.ListKeysAsync(new KeyListQuery { KeyHash = "t3", UserId = "odd" }, CancellationToken.None);
        Assert.Equal(["t3"], byHash.Keys.Select(k => k.Token));
        Assert.Equal(1, byHash.TotalCount);
        Assert.Equal(0, (await Store.ListKeysAsync(new KeyListQuery { KeyHash = "t3", UserId = "even" }, CancellationToken.None)).TotalCount);
    }

    [StoreFact]
    public async Task Teams_CreateFindUpdateList_DuplicateConflicts()
    {
        var team = new KeyTeam
        {
            TeamId = "team-1",
            TeamAlias = "Team One",
            Models = ["gpt-4o"],
            Spend = 4,
            Limits = new EntityLimits { MaxBudget = 100, BudgetDuration = "1mo", BudgetResetAt = Start.AddMonths(1), RpmLimit = 5 },
            Metadata = """{"owner": "x"}""",
            MembersWithRoles = """[{"role":"admin","user_id":"u1"}]""",
            Blocked = false,
        };
        await Store.CreateTeamAsync(team, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Store.CreateTeamAsync(new KeyTeam { TeamId = "team-2" }, CancellationToken.None);

        AssertSameTeam(team with { CreatedAt = Start, UpdatedAt = Start }, await Store.FindTeamAsync("team-1", CancellationToken.None));
        Assert.Null(await Store.FindTeamAsync("absent", CancellationToken.None));
        await Assert.ThrowsAsync<KeyStoreConflictException>(() => Store.CreateTeamAsync(new KeyTeam { TeamId = "team-1" }, CancellationToken.None));

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Store.UpdateTeamAsync(team with { TeamAlias = "Renamed", Spend = 50, Blocked = true, Models = [] }, CancellationToken.None));
        Assert.False(await Store.UpdateTeamAsync(new KeyTeam { TeamId = "absent" }, CancellationToken.None));

        AssertSameTeam(
            team with { TeamAlias = "Renamed", Blocked = true, Models = [], CreatedAt = Start, UpdatedAt = Start.AddSeconds(2) },
            await Store.FindTeamAsync("team-1", CancellationToken.None)); // spend stays 4: only spend batches change it
        Assert.Equal(["team-1", "team-2"], (await Store.ListTeamsAsync(CancellationToken.None)).Select(t => t.TeamId));
    }

    [StoreFact]
    public async Task DeleteTeams_KeysStayWithoutATeam_AndChange()
    {
        await Store.CreateTeamAsync(new KeyTeam { TeamId = "team" }, CancellationToken.None);
        await Store.CreateKeyAsync(Key("member") with { TeamId = "team" }, CancellationToken.None);
        await Store.CreateKeyAsync(Key("other") with { TeamId = "other-team" }, CancellationToken.None);
        var before = await Store.ChangesSinceAsync(0, CancellationToken.None);

        Assert.Equal(["team"], await Store.DeleteTeamsAsync(["team", "absent"], CancellationToken.None));

        Assert.Null(await Store.FindTeamAsync("team", CancellationToken.None));
        Assert.Null((await Store.FindKeyAsync("member", CancellationToken.None))!.TeamId);
        Assert.Equal("other-team", (await Store.FindKeyAsync("other", CancellationToken.None))!.TeamId);
        var changes = await Store.ChangesSinceAsync(before.LastSequence, CancellationToken.None);
        Assert.Equal([new(SpendEntityKind.Team, "team"), new(SpendEntityKind.Key, "member")], changes.Changes);
    }

    [StoreFact]
    public async Task Users_CreateFindUpdate_DuplicateConflicts()
    {
        var user = new KeyUser
        {
            UserId = "u1",
            UserAlias = "Ann",
            UserEmail = "ann@example.com",
            UserRole = "proxy_admin",
            Models = ["a", "b"],
            Spend = 1,
            Limits = new EntityLimits { MaxBudget = 5, TpmLimit = 1000 },
            Metadata = """{"x":true}""",
        };
        await Store.CreateUserAsync(user, CancellationToken.None);

        AssertSameUser(user with { CreatedAt = Start, UpdatedAt = Start }, await Store.FindUserAsync("u1", CancellationToken.None));
        Assert.Null(await Store.FindUserAsync("absent", CancellationToken.None));
        await Assert.ThrowsAsync<KeyStoreConflictException>(() => Store.CreateUserAsync(new KeyUser { UserId = "u1" }, CancellationToken.None));

        Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await Store.UpdateUserAsync(user with { UserRole = "internal_user", Spend = 40, Models = ["c"] }, CancellationToken.None));
        Assert.False(await Store.UpdateUserAsync(new KeyUser { UserId = "absent" }, CancellationToken.None));

        var found = await Store.FindUserAsync("u1", CancellationToken.None);
        Assert.Equal(("internal_user", 1.0, Start, Start.AddSeconds(3)), (found!.UserRole, found.Spend, found.CreatedAt, found.UpdatedAt));
        Assert.Equal(["c"], found.Models);
    }

    [StoreFact]
    public async Task ApplySpend_IncrementsExistingEntities_IgnoresMissing_OnceByBatchId()
    {
        await Store.CreateKeyAsync(Key("k1") with { Spend = 1 }, CancellationToken.None);
        await Store.CreateTeamAsync(new KeyTeam { TeamId = "team" }, CancellationToken.None);
        await Store.CreateUserAsync(new KeyUser { UserId = "user" }, CancellationToken.None);
        var before = await Store.ChangesSinceAsync(0, CancellationToken.None);
        var batch = new SpendBatch(
            Guid.NewGuid(),
            [],
            [
                new(SpendEntityKind.User, "user", 0.5),
                new(SpendEntityKind.Key, "k1", 0.25),
                new(SpendEntityKind.Key, "missing", 9),
                new(SpendEntityKind.Team, "team", 0.75),
                new(SpendEntityKind.Key, "k1", 0.25),
            ],
            [Log("r1", "k1")]);

        await Store.ApplySpendAsync(batch, CancellationToken.None);
        await Store.ApplySpendAsync(batch, CancellationToken.None); // a retry after a lost reply

        Assert.Equal(1.5, (await Store.FindKeyAsync("k1", CancellationToken.None))!.Spend);
        Assert.Equal(0.75, (await Store.FindTeamAsync("team", CancellationToken.None))!.Spend);
        Assert.Equal(0.5, (await Store.FindUserAsync("user", CancellationToken.None))!.Spend);
        Assert.Single(await Store.QuerySpendLogsAsync(new SpendLogQuery(), CancellationToken.None));
        var changes = await Store.ChangesSinceAsync(before.LastSequence, CancellationToken.None);
        Assert.Equal(
            [new(SpendEntityKind.Key, "k1"), new(SpendEntityKind.Team, "team"), new(SpendEntityKind.User, "user")],
            changes.Changes.OrderBy(c => c.Kind).ThenBy(c => c.Id, StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task ApplySpend_DuplicateRequestIdInAnotherBatch_LogSkippedIncrementApplied()
    {
        await Store.CreateKeyAsync(Key("k1"), CancellationToken.None);
        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [], [new(SpendEntityKind.Key, "k1", 1)], [Log("r1", "k1") with { Spend = 1 }]), CancellationToken.None);

        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [], [new(SpendEntityKind.Key, "k1", 2)], [Log("r1", "k1") with { Spend = 2 }, Log("r2", "k1")]), CancellationToken.None);

        Assert.Equal(3, (await Store.FindKeyAsync("k1", CancellationToken.None))!.Spend);
        var logs = await Store.QuerySpendLogsAsync(new SpendLogQuery(), CancellationToken.None);
        Assert.Equal(["r1", "r2"], logs.Select(l => l.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(1, logs.Single(l => l.RequestId == "r1").Spend);
    }

    [StoreFact]
    public async Task ApplySpend_ResetOnlyWhenExpectedResetAtStillHolds_ThenIncrementCountsInTheNewPeriod()
    {
        var due = Start.AddDays(1);
        var next = due.AddDays(1);
        await Store.CreateKeyAsync(Key("k1") with { Spend = 5, Limits = new EntityLimits { BudgetDuration = "1d", BudgetResetAt = due } }, CancellationToken.None);
        await Store.CreateTeamAsync(new KeyTeam { TeamId = "never-reset", Spend = 3 }, CancellationToken.None);

        // Replica A resets, and counts a new call in the new period.
        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [new(SpendEntityKind.Key, "k1", due, next)], [new(SpendEntityKind.Key, "k1", 0.5)], []), CancellationToken.None);
        // Replica B saw the same period end: its reset no longer matches and must not wipe A's new spend.
        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [new(SpendEntityKind.Key, "k1", due, next)], [new(SpendEntityKind.Key, "k1", 0.25)], []), CancellationToken.None);
        // A null expectation matches a null budget_reset_at; a non-null one does not.
        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [new(SpendEntityKind.Team, "never-reset", due, next)], [], []), CancellationToken.None);
        Assert.Equal(3, (await Store.FindTeamAsync("never-reset", CancellationToken.None))!.Spend);
        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [new(SpendEntityKind.Team, "never-reset", null, next)], [], []), CancellationToken.None);

        var key = await Store.FindKeyAsync("k1", CancellationToken.None);
        Assert.Equal((0.75, next), (key!.Spend, key.Limits.BudgetResetAt));
        var team = await Store.FindTeamAsync("never-reset", CancellationToken.None);
        Assert.Equal((0.0, next), (team!.Spend, team.Limits.BudgetResetAt));
    }

    [StoreFact]
    public async Task DueBudgetResets_OnlyPeriodsEndedByNow_EachWithItsExpectedAndNextReset()
    {
        var due = Start.AddDays(1);
        await Store.CreateKeyAsync(Key("ended") with { Spend = 5, Limits = new EntityLimits { BudgetDuration = "1d", BudgetResetAt = due } }, CancellationToken.None);
        await Store.CreateKeyAsync(Key("running") with { Spend = 5, Limits = new EntityLimits { BudgetDuration = "30d", BudgetResetAt = due.AddDays(20) } }, CancellationToken.None);
        await Store.CreateKeyAsync(Key("one-time") with { Spend = 5, Limits = new EntityLimits { MaxBudget = 10 } }, CancellationToken.None);
        await Store.CreateTeamAsync(new KeyTeam { TeamId = "weekly", Spend = 3, Limits = new EntityLimits { BudgetDuration = "7d", BudgetResetAt = due.AddHours(-1) } }, CancellationToken.None);
        var now = due.AddDays(2).AddHours(1); // two periods of the daily key have passed

        var resets = await Store.DueBudgetResetsAsync(now, CancellationToken.None);

        Assert.Equal(
            [new BudgetReset(SpendEntityKind.Key, "ended", due, due.AddDays(3)), new BudgetReset(SpendEntityKind.Team, "weekly", due.AddHours(-1), due.AddHours(-1).AddDays(7))],
            resets.OrderBy(r => r.Kind));
        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), resets, [], []), CancellationToken.None);
        Assert.Empty(await Store.DueBudgetResetsAsync(now, CancellationToken.None));
        Assert.Equal((0.0, due.AddDays(3)), ((await Store.FindKeyAsync("ended", CancellationToken.None))!.Spend, (await Store.FindKeyAsync("ended", CancellationToken.None))!.Limits.BudgetResetAt));
    }

    [StoreFact]
    public async Task QuerySpendLogs_FiltersNewestFirstWithLimit_AndDeleteBeforeCutoff()
    {
        var rows = new[]
        {
            Log("r1", "k1") with { StartTime = Start, UserId = "u1", TeamId = "t1" },
            Log("r2", "k1") with { StartTime = Start.AddMinutes(1), UserId = "u2", TeamId = "t1" },
            Log("r3", "k2") with { StartTime = Start.AddMinutes(2), UserId = "u1" },
            Log("r4", "k2") with { StartTime = Start.AddMinutes(3), UserId = "u1", TeamId = "t2" },
        };
        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [], [], rows), CancellationToken.None);

        async Task<string[]> Ids(SpendLogQuery query) => (await Store.QuerySpendLogsAsync(query, CancellationToken.None)).Select(r => r.RequestId).ToArray();
        Assert.Equal(["r4", "r3", "r2", "r1"], await Ids(new SpendLogQuery()));
        Assert.Equal(["r4", "r3"], await Ids(new SpendLogQuery { Limit = 2 }));
        Assert.Equal(["r2", "r1"], await Ids(new SpendLogQuery { ApiKey = "k1" }));
        Assert.Equal(["r4", "r3", "r1"], await Ids(new SpendLogQuery { UserId = "u1" }));
        Assert.Equal(["r2", "r1"], await Ids(new SpendLogQuery { TeamId = "t1" }));
        Assert.Equal(["r3"], await Ids(new SpendLogQuery { RequestId = "r3" }));
        Assert.Equal(["r3", "r2"], await Ids(new SpendLogQuery { StartTime = Start.AddMinutes(1), EndTime = Start.AddMinutes(2) }));
        Assert.Equal(["r4"], await Ids(new SpendLogQuery { ApiKey = "k2", TeamId = "t2", StartTime = Start.AddMinutes(1) }));

        var stored = (await Store.QuerySpendLogsAsync(new SpendLogQuery { RequestId = "r1" }, CancellationToken.None)).Single();
        Assert.Equal(rows[0], stored);

        Assert.Equal(2, await Store.DeleteSpendLogsBeforeAsync(Start.AddMinutes(2), CancellationToken.None));
        Assert.Equal(["r4", "r3"], await Ids(new SpendLogQuery()));
        Assert.Equal(0, await Store.DeleteSpendLogsBeforeAsync(Start.AddMinutes(2), CancellationToken.None));
    }

    [StoreFact]
    public async Task ChangesSince_EveryMutationInOrder_PagedAfterASequence()
    {
        var start = await Store.ChangesSinceAsync(0, CancellationToken.None);
        Assert.Equal((0L, 0), (start.LastSequence, start.Changes.Count));

        await Store.CreateKeyAsync(Key("k1"), CancellationToken.None);
        await Store.CreateTeamAsync(new KeyTeam { TeamId = "team" }, CancellationToken.None);
        await Store.CreateUserAsync(new KeyUser { UserId = "user" }, CancellationToken.None);
        var third = await Store.ChangesSinceAsync(0, CancellationToken.None);
        await Store.UpdateKeyAsync(Key("k1"), CancellationToken.None);
        await Store.UpdateKeyAsync(Key("absent"), CancellationToken.None); // changes nothing, records nothing
        await Store.SetKeySpendAsync("k1", 0, CancellationToken.None);
        await Store.UpdateTeamAsync(new KeyTeam { TeamId = "team" }, CancellationToken.None);
        await Store.UpdateUserAsync(new KeyUser { UserId = "user" }, CancellationToken.None);
        await Store.DeleteKeysAsync(["k1"], CancellationToken.None);

        var all = await Store.ChangesSinceAsync(0, CancellationToken.None);
        Assert.Equal(
            [
                new(SpendEntityKind.Key, "k1"), new(SpendEntityKind.Team, "team"), new(SpendEntityKind.User, "user"),
                new(SpendEntityKind.Key, "k1"), new(SpendEntityKind.Key, "k1"), new(SpendEntityKind.Team, "team"),
                new(SpendEntityKind.User, "user"), new(SpendEntityKind.Key, "k1"),
            ],
            all.Changes);
        Assert.True(all.LastSequence >= all.Changes.Count);

        var none = await Store.ChangesSinceAsync(all.LastSequence, CancellationToken.None);
        Assert.Equal((all.LastSequence, 0), (none.LastSequence, none.Changes.Count));
        var afterThird = await Store.ChangesSinceAsync(third.LastSequence, CancellationToken.None);
        Assert.Equal(all.Changes.Skip(3), afterThird.Changes);
        Assert.Equal(all.LastSequence, afterThird.LastSequence);
    }

    [StoreFact]
    public async Task ChangesSince_AtMostAThousand_TheRestOnTheNextPoll()
    {
        var tokens = Enumerable.Range(0, 1005).Select(i => $"k{i:D4}").ToArray();
        foreach (var token in tokens)
        {
            await Store.CreateKeyAsync(Key(token), CancellationToken.None);
        }

        var first = await Store.ChangesSinceAsync(0, CancellationToken.None);
        var second = await Store.ChangesSinceAsync(first.LastSequence, CancellationToken.None);

        Assert.Equal(1000, first.Changes.Count);
        Assert.Equal(tokens, first.Changes.Concat(second.Changes).Select(c => c.Id));
    }

    [StoreFact]
    public async Task ApplySpend_PrunesChangesOlderThanAnHour_SequenceNeverReused()
    {
        await Store.CreateKeyAsync(Key("old"), CancellationToken.None);
        var old = await Store.ChangesSinceAsync(0, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(61));
        await Store.CreateKeyAsync(Key("new"), CancellationToken.None);

        await Store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [], [new(SpendEntityKind.Key, "new", 1)], []), CancellationToken.None);

        var changes = await Store.ChangesSinceAsync(0, CancellationToken.None);
        Assert.Equal([new(SpendEntityKind.Key, "new"), new(SpendEntityKind.Key, "new")], changes.Changes);
        Assert.True(changes.LastSequence > old.LastSequence);
    }

    [StoreFact]
    public async Task MigrateAsync_AgainAndFromTwoStoresAtOnce_AppliesEachMigrationOnce()
    {
        await Store.CreateKeyAsync(Key("k1"), CancellationToken.None);
        await Store.MigrateAsync(CancellationToken.None);
        Assert.NotNull(await Store.FindKeyAsync("k1", CancellationToken.None));

        var location = await CreateLocationAsync();
        try
        {
            var a = OpenAt(location);
            var b = OpenAt(location);
            await Task.WhenAll(Task.Run(() => a.MigrateAsync(CancellationToken.None)), Task.Run(() => b.MigrateAsync(CancellationToken.None)));
            await a.CreateKeyAsync(Key("k1"), CancellationToken.None);
            Assert.NotNull(await b.FindKeyAsync("k1", CancellationToken.None));
            Assert.Equal(MigrationCount, await CountMigrationRowsAsync(location));
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
        finally
        {
            await DeleteLocationAsync(location);
        }

        Assert.Equal(MigrationCount, await CountMigrationRowsAsync(_location));
    }

    [StoreFact]
    public async Task ApplySpend_TwoReplicasConcurrently_EveryIncrementCountedEveryChangeSeen()
    {
        var other = Open();
        for (var i = 0; i < 5; i++)
        {
            await Store.CreateKeyAsync(Key($"k{i}"), CancellationToken.None);
        }

        var before = await Store.ChangesSinceAsync(0, CancellationToken.None);

        // Each replica names the same keys in the opposite order: the store's (kind, id) order keeps them from deadlocking.
        SpendBatch Batch(bool reversed) => new(
            Guid.NewGuid(),
            [],
            (reversed ? Enumerable.Range(0, 5).Reverse() : Enumerable.Range(0, 5)).Select(i => new SpendIncrement(SpendEntityKind.Key, $"k{i}", 0.5)).ToArray(),
            []);
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var n = 0; n < 20; n++)
                {
                    await Store.ApplySpendAsync(Batch(reversed: false), CancellationToken.None);
                }
            }),
            Task.Run(async () =>
            {
                for (var n = 0; n < 20; n++)
                {
                    await other.ApplySpendAsync(Batch(reversed: true), CancellationToken.None);
                }
            }));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(20.0, (await Store.FindKeyAsync($"k{i}", CancellationToken.None))!.Spend);
        }

        var seen = new List<EntityChange>();
        var after = before.LastSequence;
        while (true)
        {
            var page = await other.ChangesSinceAsync(after, CancellationToken.None);
            if (page.Changes.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Changes);
            after = page.LastSequence;
        }

        Assert.Equal(200, seen.Count);
    }

    [StoreFact]
    public async Task PingAsync_ReachableStore_True()
    {
        Assert.True(await Store.PingAsync(CancellationToken.None));
    }

    /// <summary>How many migrations this store's schema has.</summary>
    protected abstract int MigrationCount { get; }

    /// <summary>A fresh, empty database for one test (a file, a schema): where a store is opened.</summary>
    protected abstract Task<string> CreateLocationAsync();

    protected abstract Task DeleteLocationAsync(string location);

    private protected abstract IKeyStore OpenStore(string location, TimeProvider time);

    protected abstract Task<long> CountMigrationRowsAsync(string location);

    private protected IKeyStore Open() => OpenAt(_location);

    private IKeyStore OpenAt(string location)
    {
        var store = OpenStore(location, Time);
        _stores.Add(store);
        return store;
    }

    private protected static VirtualKey Key(string token) => new() { Token = token, KeyName = "sk-..." + token };

    private static SpendLogRow Log(string requestId, string apiKey) => new()
    {
        RequestId = requestId,
        CallType = "acompletion",
        ApiKey = apiKey,
        KeyAlias = "alias",
        Spend = 0.001,
        PromptTokens = 10,
        CompletionTokens = 20,
        TotalTokens = 30,
        StartTime = Start.AddMilliseconds(5),
        EndTime = Start.AddMilliseconds(1500),
        Model = "gpt-4o-mini",
        ModelId = "dep-1",
        ModelGroup = "gpt-4o",
        Provider = "openai",
        TeamId = "team",
        UserId = "user",
        Status = "success",
    };

    private static void AssertSameKey(VirtualKey expected, VirtualKey? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Models, actual.Models);
        Assert.Equal(expected with { Models = [] }, actual with { Models = [] });
    }

    // The records hold their models in a list, compared by reference: compare the items, then the rest.
    private static void AssertSameTeam(KeyTeam expected, KeyTeam? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Models, actual.Models);
        Assert.Equal(expected with { Models = [] }, actual with { Models = [] });
    }

    private static void AssertSameUser(KeyUser expected, KeyUser? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Models, actual.Models);
        Assert.Equal(expected with { Models = [] }, actual with { Models = [] });
    }
}
