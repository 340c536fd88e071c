using LlmGate.Keys;
using LlmGate.Tests.Alerting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Keys;

public sealed class KeyDirectoryTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private SqliteKeyStore _sqlite = null!;
    private GatedKeyStore _store = null!;

    public async Task InitializeAsync()
    {
        _sqlite = new SqliteKeyStore(Path.Combine(_folder.Path, "keys.db"), _time, NullLogger<SqliteKeyStore>.Instance);
        await _sqlite.MigrateAsync(CancellationToken.None);
        _store = new GatedKeyStore(_sqlite);
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        _folder.Dispose();
    }

    // The spend writer reloads a changed key while a request's first read of it is still in flight (the change that
    // created it, say): the key stays held, so with the store away it is still served rather than refused.
    [Fact]
    public async Task ReloadDuringTheFirstRead_KeyStaysHeld_ServedWithTheStoreAway()
    {
        await _sqlite.CreateKeyAsync(new VirtualKey { Token = "k1", KeyName = "sk-...k1", KeyAlias = "before" }, CancellationToken.None);
        var directory = new KeyDirectory(_store);
        var gate = _store.HoldKeyReads();

        var first = directory.FindAsync("k1").AsTask();
        await _store.GateReached;
        var reload = directory.ReloadAsync(new EntityChange(SpendEntityKind.Key, "k1"), withSpend: true, CancellationToken.None);
        await _sqlite.UpdateKeyAsync((await _sqlite.FindKeyAsync("k1", CancellationToken.None))! with { KeyAlias = "after" }, CancellationToken.None);
        Assert.False(reload.IsCompleted); // it waits for the read in flight
        gate.SetResult();
        var found = await first;
        await reload;

        _store.Away = true;
        var held = await directory.FindAsync("k1");
        Assert.Same(found, held);
        Assert.Equal("after", held!.Record.KeyAlias); // the reload read the change after the first read
    }

    [Fact]
    public async Task ReloadOfARememberedMiss_Forgotten_NextLookupAsksTheStore()
    {
        var directory = new KeyDirectory(_store);
        Assert.Null(await directory.FindAsync("k2"));
        await _sqlite.CreateKeyAsync(new VirtualKey { Token = "k2", KeyName = "sk-...k2" }, CancellationToken.None);

        await directory.ReloadAsync(new EntityChange(SpendEntityKind.Key, "k2"), withSpend: true, CancellationToken.None);

        Assert.Equal("k2", (await directory.FindAsync("k2"))?.Id);
    }

    // The SQLite store with its key reads held at a gate, and able to go away.
    private sealed class GatedKeyStore(IKeyStore inner) : IKeyStore
    {
        private TaskCompletionSource? _gate;

        public bool Away { get; set; }

        public string Kind => inner.Kind;

        private readonly TaskCompletionSource _gateReached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the held read has read the store and waits at the gate.</summary>
        public Task GateReached => _gateReached.Task;

        public TaskCompletionSource HoldKeyReads() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<VirtualKey?> FindKeyAsync(string token, CancellationToken cancellationToken)
        {
            if (Away)
            {
                throw new KeyStoreException("the store is away (test)");
            }

            var key = await inner.FindKeyAsync(token, cancellationToken);
            if (_gate is { } gate)
            {
                _gate = null; // the first read only: it has read the store, and answers when the gate opens
                _gateReached.SetResult();
                await gate.Task;
            }

            return key;
        }

        public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

        public Task<bool> PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

        public Task<VirtualKey?> FindKeyByAliasAsync(string alias, CancellationToken cancellationToken) => inner.FindKeyByAliasAsync(alias, cancellationToken);

        public Task CreateKeyAsync(VirtualKey key, CancellationToken cancellationToken) => inner.CreateKeyAsync(key, cancellationToken);

        public Task<bool> UpdateKeyAsync(VirtualKey key, CancellationToken cancellationToken) => inner.UpdateKeyAsync(key, cancellationToken);

        public Task<bool> SetKeySpendAsync(string token, double spend, CancellationToken cancellationToken) => inner.SetKeySpendAsync(token, spend, cancellationToken);

        public Task<bool> ReplaceKeyTokenAsync(string oldToken, string newToken, string newKeyName, CancellationToken cancellationToken) =>
            inner.ReplaceKeyTokenAsync(oldToken, newToken, newKeyName, cancellationToken);

        public Task<IReadOnlyList<string>> DeleteKeysAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken) => inner.DeleteKeysAsync(tokens, cancellationToken);

        public Task<KeyListPage> ListKeysAsync(KeyListQuery query, CancellationToken cancellationToken) => inner.ListKeysAsync(query, cancellationToken);

        public Task<KeyTeam?> FindTeamAsync(string teamId, CancellationToken cancellationToken) => inner.FindTeamAsync(teamId, cancellationToken);

        public Task CreateTeamAsync(KeyTeam team, CancellationToken cancellationToken) => inner.CreateTeamAsync(team, cancellationToken);

        public Task<bool> UpdateTeamAsync(KeyTeam team, CancellationToken cancellationToken) => inner.UpdateTeamAsync(team, cancellationToken);

        public Task<IReadOnlyList<string>> DeleteTeamsAsync(IReadOnlyList<string> teamIds, CancellationToken cancellationToken) => inner.DeleteTeamsAsync(teamIds, cancellationToken);

        public Task<IReadOnlyList<KeyTeam>> ListTeamsAsync(CancellationToken cancellationToken) => inner.ListTeamsAsync(cancellationToken);

        public Task<KeyUser?> FindUserAsync(string userId, CancellationToken cancellationToken) => inner.FindUserAsync(userId, cancellationToken);

        public Task CreateUserAsync(KeyUser user, CancellationToken cancellationToken) => inner.CreateUserAsync(user, cancellationToken);

        public Task<bool> UpdateUserAsync(KeyUser user, CancellationToken cancellationToken) => inner.UpdateUserAsync(user, cancellationToken);

        public Task ApplySpendAsync(SpendBatch batch, CancellationToken cancellationToken) => inner.ApplySpendAsync(batch, cancellationToken);

        public Task<IReadOnlyList<BudgetReset>> DueBudgetResetsAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.DueBudgetResetsAsync(now, cancellationToken);

        public Task<IReadOnlyList<SpendLogRow>> QuerySpendLogsAsync(SpendLogQuery query, CancellationToken cancellationToken) => inner.QuerySpendLogsAsync(query, cancellationToken);

        public Task<int> DeleteSpendLogsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => inner.DeleteSpendLogsBeforeAsync(cutoff, cancellationToken);

        public Task<StoreChanges> ChangesSinceAsync(long afterSequence, CancellationToken cancellationToken) => inner.ChangesSinceAsync(afterSequence, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
