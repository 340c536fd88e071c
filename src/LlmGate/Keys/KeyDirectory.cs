using System.Collections.Concurrent;

namespace LlmGate.Keys;

/// <summary>
/// The keys, teams and users this gateway has met, in memory, so that the request path never waits on the store: a
/// miss reads the store once (concurrent misses for one key share the read) and a key that does not exist is
/// remembered too, until a change says otherwise. Entries are reloaded when the store reports them changed.
/// </summary>
internal sealed class KeyDirectory(IKeyStore store)
{
    // Bounds the memory an attacker trying random keys can pin: past it, remembered misses are forgotten.
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, Lazy<Task<CachedKey?>>> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedEntity?>>> _teams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedEntity?>>> _users = new(StringComparer.Ordinal);

    /// <summary>The key with this hash, or null when the store has none; throws <see cref="KeyStoreException"/> on a miss the store cannot answer.</summary>
    public ValueTask<CachedKey?> FindAsync(string token)
    {
        if (_keys.TryGetValue(token, out var slot) && IsLoaded(slot))
        {
            var key = slot.Value.Result;
            return key is { NeedsRefresh: true } ? new ValueTask<CachedKey?>(RefreshAsync(key)) : new ValueTask<CachedKey?>(key);
        }

        return new ValueTask<CachedKey?>(LoadAsync(token));
    }

    /// <summary>The keys held now (not the remembered misses), for the budget gauges of <c>/metrics</c>.</summary>
    public IEnumerable<CachedKey> LoadedKeys()
    {
        foreach (var slot in _keys.Values)
        {
            if (LoadedValue(slot) is { } key)
            {
                yield return key;
            }
        }
    }

    /// <summary>The teams held now, for the budget gauges of <c>/metrics</c>.</summary>
    public IEnumerable<CachedEntity> LoadedTeams() => Loaded(_teams);

    /// <summary>The users held now, for the budget gauges of <c>/metrics</c>.</summary>
    public IEnumerable<CachedEntity> LoadedUsers() => Loaded(_users);

    /// <summary>
    /// Changed through the management API on this gateway: a held entity is marked to be reread by the next request
    /// that uses it (so a block takes effect at once), a remembered miss is forgotten.
    /// </summary>
    public void Invalidate(EntityChange change)
    {
        switch (change.Kind)
        {
            case SpendEntityKind.Key:
                if (_keys.TryGetValue(change.Id, out var slot))
                {
                    if (LoadedValue(slot) is { } key)
                    {
                        key.MarkStale();
                    }
                    else
                    {
                        _keys.TryRemove(KeyValuePair.Create(change.Id, slot));
                    }
                }

                break;
            case SpendEntityKind.Team:
                InvalidateOwner(_teams, SpendEntityKind.Team, change.Id);
                break;
            case SpendEntityKind.User:
                InvalidateOwner(_users, SpendEntityKind.User, change.Id);
                break;
        }
    }

    private void InvalidateOwner(ConcurrentDictionary<string, Lazy<Task<CachedEntity?>>> owners, SpendEntityKind kind, string id)
    {
        if (!owners.TryGetValue(id, out var slot))
        {
            return;
        }

        if (LoadedValue(slot) is { } owner)
        {
            owner.MarkStale();
            return;
        }

        owners.TryRemove(KeyValuePair.Create(id, slot));
        ForgetKeysOf(kind, id);
    }

    private async Task<CachedKey?> RefreshAsync(CachedKey key)
    {
        try
        {
            if (key.IsStale)
            {
                await ReloadKeyAsync(key.Id, withSpend: false, CancellationToken.None);
                key.MarkFresh();
            }

            if (key.Team is { IsStale: true } team)
            {
                await ReloadOwnerAsync(_teams, team.Id, withSpend: false, SpendEntityKind.Team, CancellationToken.None);
                team.MarkFresh();
            }

            if (key.User is { IsStale: true } user)
            {
                await ReloadOwnerAsync(_users, user.Id, withSpend: false, SpendEntityKind.User, CancellationToken.None);
                user.MarkFresh();
            }
        }
        catch (KeyStoreException)
        {
            return key; // the store is away: the key as last known serves, and is reread once it is back
        }

        // Deleted or moved meanwhile: whatever the store now says.
        return _keys.TryGetValue(key.Id, out var slot) && ReferenceEquals(LoadedValue(slot), key)
            ? key
            : await LoadAsync(key.Id);
    }

    /// <summary>
    /// The entity changed in the store: reread it. Spend is taken from the store only when <paramref name="withSpend"/>
    /// (the spend writer, which knows none of its own batches is half-written); other callers change only the policy.
    /// </summary>
    public async Task ReloadAsync(EntityChange change, bool withSpend, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case SpendEntityKind.Key:
                await ReloadKeyAsync(change.Id, withSpend, cancellationToken);
                break;
            case SpendEntityKind.Team:
                await ReloadOwnerAsync(_teams, change.Id, withSpend, SpendEntityKind.Team, cancellationToken);
                break;
            case SpendEntityKind.User:
                await ReloadOwnerAsync(_users, change.Id, withSpend, SpendEntityKind.User, cancellationToken);
                break;
        }
    }

    private async Task<CachedKey?> LoadAsync(string token)
    {
        var slot = _keys.GetOrAdd(token, static (t, self) => new Lazy<Task<CachedKey?>>(() => self.ReadKeyAsync(t)), this);
        try
        {
            var key = await slot.Value;
            if (key is null && _keys.Count > MaxRemembered)
            {
                _keys.TryRemove(KeyValuePair.Create(token, slot));
            }

            return key;
        }
        catch
        {
            // Not remembered: the next request asks the store again.
            _keys.TryRemove(KeyValuePair.Create(token, slot));
            throw;
        }
    }

    private async Task<CachedKey?> ReadKeyAsync(string token)
    {
        var record = await store.FindKeyAsync(token, CancellationToken.None);
        if (record is null)
        {
            return null;
        }

        var team = record.TeamId is { } teamId ? await OwnerAsync(_teams, teamId, SpendEntityKind.Team) : null;
        var user = team is null && record.UserId is { } userId ? await OwnerAsync(_users, userId, SpendEntityKind.User) : null;
        return new CachedKey(record, team, user);
    }

    private async Task<CachedEntity?> OwnerAsync(ConcurrentDictionary<string, Lazy<Task<CachedEntity?>>> owners, string id, SpendEntityKind kind)
    {
        var slot = owners.GetOrAdd(id, static (i, state) => new Lazy<Task<CachedEntity?>>(() => state.self.ReadOwnerAsync(state.kind, i)), (self: this, kind));
        try
        {
            return await slot.Value;
        }
        catch
        {
            owners.TryRemove(KeyValuePair.Create(id, slot));
            throw;
        }
    }

    private async Task<CachedEntity?> ReadOwnerAsync(SpendEntityKind kind, string id)
    {
        if (kind == SpendEntityKind.Team)
        {
            return await store.FindTeamAsync(id, CancellationToken.None) is { } team ? NewTeam(team) : null;
        }

        return await store.FindUserAsync(id, CancellationToken.None) is { } user ? NewUser(user) : null;
    }

    private async Task ReloadKeyAsync(string token, bool withSpend, CancellationToken cancellationToken)
    {
        if (!_keys.TryGetValue(token, out var slot) || !await ReadFinishedAsync(slot, cancellationToken))
        {
            return;
        }

        if (LoadedValue(slot) is not { } cached)
        {
            // A remembered miss: the change may be the key's creation, so forget it.
            _keys.TryRemove(KeyValuePair.Create(token, slot));
            return;
        }

        var record = await store.FindKeyAsync(token, cancellationToken);
        if (record is null || record.TeamId != cached.Record.TeamId || record.UserId != cached.Record.UserId)
        {
            // Deleted, or moved to another team or user: the next request reads it afresh. Money not yet written
            // stays with the counter, which the writer's queue still holds.
            _keys.TryRemove(KeyValuePair.Create(token, slot));
            return;
        }

        cached.Apply(record);
        if (withSpend)
        {
            cached.Budget.Load(record.Spend, record.Limits.BudgetResetAt);
        }
    }

    private async Task ReloadOwnerAsync(
        ConcurrentDictionary<string, Lazy<Task<CachedEntity?>>> owners, string id, bool withSpend, SpendEntityKind kind, CancellationToken cancellationToken)
    {
        if (!owners.TryGetValue(id, out var slot) || !await ReadFinishedAsync(slot, cancellationToken))
        {
            return;
        }

        if (LoadedValue(slot) is not { } cached)
        {
            owners.TryRemove(KeyValuePair.Create(id, slot));
            ForgetKeysOf(kind, id);
            return;
        }

        var (policy, spend, resetAt) = kind == SpendEntityKind.Team
            ? await store.FindTeamAsync(id, cancellationToken) is { } team ? (TeamPolicy(team), team.Spend, team.Limits.BudgetResetAt) : default
            : await store.FindUserAsync(id, cancellationToken) is { } user ? (UserPolicy(user), user.Spend, user.Limits.BudgetResetAt) : default;
        if (policy is null)
        {
            owners.TryRemove(KeyValuePair.Create(id, slot));
            ForgetKeysOf(kind, id);
            return;
        }

        cached.Policy = policy;
        if (withSpend)
        {
            cached.Budget.Load(spend, resetAt);
        }
    }

    // A team or user that was deleted (or created after its keys were read): its keys are read afresh.
    private void ForgetKeysOf(SpendEntityKind kind, string id)
    {
        foreach (var (token, slot) in _keys)
        {
            if (LoadedValue(slot) is { } key
                && (kind == SpendEntityKind.Team ? key.Record.TeamId : key.Record.UserId) == id)
            {
                _keys.TryRemove(KeyValuePair.Create(token, slot));
            }
        }
    }

    private static IEnumerable<CachedEntity> Loaded(ConcurrentDictionary<string, Lazy<Task<CachedEntity?>>> entities)
    {
        foreach (var slot in entities.Values)
        {
            if (LoadedValue(slot) is { } entity)
            {
                yield return entity;
            }
        }
    }

    // A read still in flight when a change arrives may predate it: wait for it, and the caller rereads what it found.
    // Forgetting it instead forgot a key a request was about to hold, and with the store away that key, though in
    // use, was refused. False when the read failed (the reader has forgotten the slot itself).
    private static async Task<bool> ReadFinishedAsync<T>(Lazy<Task<T?>> slot, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            await slot.Value.WaitAsync(cancellationToken);
            return true;
        }
        catch (KeyStoreException)
        {
            return false;
        }
    }

    // A slot whose read has finished well: its value (null for a remembered miss) may be used.
    private static bool IsLoaded<T>(Lazy<Task<T?>> slot)
        where T : class => slot.IsValueCreated && slot.Value.IsCompletedSuccessfully;

    // The entity a finished read found; null for a miss and for a read not finished (or failed).
    private static T? LoadedValue<T>(Lazy<Task<T?>> slot)
        where T : class => IsLoaded(slot) ? slot.Value.Result : null;

    private static CachedEntity NewTeam(KeyTeam team)
    {
        var entity = new CachedEntity(SpendEntityKind.Team, team.TeamId, TeamPolicy(team));
        entity.Budget.Load(team.Spend, team.Limits.BudgetResetAt);
        return entity;
    }

    private static CachedEntity NewUser(KeyUser user)
    {
        var entity = new CachedEntity(SpendEntityKind.User, user.UserId, UserPolicy(user));
        entity.Budget.Load(user.Spend, user.Limits.BudgetResetAt);
        return entity;
    }

    private static EntityPolicy TeamPolicy(KeyTeam team) => EntityPolicy.Of(team.Limits, team.Models, team.Blocked) with { Alias = team.TeamAlias };

    private static EntityPolicy UserPolicy(KeyUser user) => EntityPolicy.Of(user.Limits, user.Models, blocked: false);
}
