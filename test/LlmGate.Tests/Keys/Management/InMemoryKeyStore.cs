using System.Collections.Concurrent;
using LlmGate.Keys;

namespace LlmGate.Tests.Keys.Management;

/// <summary>
/// An <see cref="IKeyStore"/> in memory with the contract's rules (hash primary key, unique alias, spend kept apart from
/// updates), until the SQLite store lands; <see cref="Down"/> makes every call fail as an unreachable database.
/// </summary>
internal sealed class InMemoryKeyStore : IKeyStore
{
    private readonly ConcurrentDictionary<string, VirtualKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeyTeam> _teams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeyUser> _users = new(StringComparer.Ordinal);
    private readonly List<SpendLogRow> _logs = [];
    private readonly Lock _gate = new();

    public bool Down { get; set; }

    public string Kind => "sqlite";

    public IReadOnlyCollection<VirtualKey> Keys => _keys.Values.ToArray();

    public void AddLog(SpendLogRow row)
    {
        lock (_gate)
        {
            _logs.Add(row);
        }
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => Check();

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(!Down);

    public async Task<VirtualKey?> FindKeyAsync(string token, CancellationToken cancellationToken)
    {
        await Check();
        return _keys.GetValueOrDefault(token);
    }

    public async Task<VirtualKey?> FindKeyByAliasAsync(string alias, CancellationToken cancellationToken)
    {
        await Check();
        return _keys.Values.FirstOrDefault(k => k.KeyAlias == alias);
    }

    public async Task CreateKeyAsync(VirtualKey key, CancellationToken cancellationToken)
    {
        await Check();
        lock (_gate)
        {
            if (key.KeyAlias is not null && _keys.Values.Any(k => k.KeyAlias == key.KeyAlias))
            {
                throw new KeyStoreConflictException($"Key with alias '{key.KeyAlias}' already exists.");
            }

            if (!_keys.TryAdd(key.Token, key))
            {
                throw new KeyStoreConflictException("Unique key violation: this key already exists.");
            }
        }
    }

    public async Task<bool> UpdateKeyAsync(VirtualKey key, CancellationToken cancellationToken)
    {
        await Check();
        lock (_gate)
        {
            if (!_keys.TryGetValue(key.Token, out var old))
            {
                return false;
            }

            if (key.KeyAlias is not null && _keys.Values.Any(k => k.KeyAlias == key.KeyAlias && k.Token != key.Token))
            {
                throw new KeyStoreConflictException($"Key with alias '{key.KeyAlias}' already exists.");
            }

            _keys[key.Token] = key with { Spend = old.Spend };
            return true;
        }
    }

    public async Task<bool> SetKeySpendAsync(string token, double spend, CancellationToken cancellationToken)
    {
        await Check();
        lock (_gate)
        {
            if (!_keys.TryGetValue(token, out var key))
            {
                return false;
            }

            _keys[token] = key with { Spend = spend };
            return true;
        }
    }

    public async Task<bool> ReplaceKeyTokenAsync(string oldToken, string newToken, string newKeyName, CancellationToken cancellationToken)
    {
        await Check();
        lock (_gate)
        {
            if (!_keys.TryRemove(oldToken, out var key))
            {
                return false;
            }

            _keys[newToken] = key with { Token = newToken, KeyName = newKeyName };
            return true;
        }
    }

    public async Task<IReadOnlyList<string>> DeleteKeysAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        await Check();
        return tokens.Where(t => _keys.TryRemove(t, out _)).ToArray();
    }

    public async Task<KeyListPage> ListKeysAsync(KeyListQuery query, CancellationToken cancellationToken)
    {
        await Check();
        var matching = _keys.Values
            .Where(k => query.UserId is null || k.UserId == query.UserId)
            .Where(k => query.TeamId is null || k.TeamId == query.TeamId)
            .Where(k => query.KeyAlias is null || k.KeyAlias == query.KeyAlias)
            .Where(k => query.KeyHash is null || k.Token == query.KeyHash)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Token, StringComparer.Ordinal)
            .ToArray();
        return new KeyListPage(matching.Skip((query.Page - 1) * query.Size).Take(query.Size).ToArray(), matching.Length);
    }

    public async Task<KeyTeam?> FindTeamAsync(string teamId, CancellationToken cancellationToken)
    {
        await Check();
        return _teams.GetValueOrDefault(teamId);
    }

    public async Task CreateTeamAsync(KeyTeam team, CancellationToken cancellationToken)
    {
        await Check();
        if (!_teams.TryAdd(team.TeamId, team))
        {
            throw new KeyStoreConflictException($"Team id = {team.TeamId} already exists. Please use a different team id.");
        }
    }

    public async Task<bool> UpdateTeamAsync(KeyTeam team, CancellationToken cancellationToken)
    {
        await Check();
        if (!_teams.TryGetValue(team.TeamId, out var old))
        {
            return false;
        }

        _teams[team.TeamId] = team with { Spend = old.Spend };
        return true;
    }

    public async Task<IReadOnlyList<string>> DeleteTeamsAsync(IReadOnlyList<string> teamIds, CancellationToken cancellationToken)
    {
        await Check();
        var deleted = teamIds.Where(t => _teams.TryRemove(t, out _)).ToArray();
        foreach (var key in _keys.Values.Where(k => k.TeamId is not null && deleted.Contains(k.TeamId)))
        {
            _keys[key.Token] = key with { TeamId = null };
        }

        return deleted;
    }

    public async Task<IReadOnlyList<KeyTeam>> ListTeamsAsync(CancellationToken cancellationToken)
    {
        await Check();
        return _teams.Values.OrderBy(t => t.TeamId, StringComparer.Ordinal).ToArray();
    }

    public async Task<KeyUser?> FindUserAsync(string userId, CancellationToken cancellationToken)
    {
        await Check();
        return _users.GetValueOrDefault(userId);
    }

    public async Task CreateUserAsync(KeyUser user, CancellationToken cancellationToken)
    {
        await Check();
        if (!_users.TryAdd(user.UserId, user))
        {
            throw new KeyStoreConflictException($"User with id {user.UserId} already exists.");
        }
    }

    public async Task<bool> UpdateUserAsync(KeyUser user, CancellationToken cancellationToken)
    {
        await Check();
        if (!_users.ContainsKey(user.UserId))
        {
            return false;
        }

        _users[user.UserId] = user;
        return true;
    }

    public Task ApplySpendAsync(SpendBatch batch, CancellationToken cancellationToken) => throw new NotSupportedException();

    public async Task<IReadOnlyList<SpendLogRow>> QuerySpendLogsAsync(SpendLogQuery query, CancellationToken cancellationToken)
    {
        await Check();
        lock (_gate)
        {
            return _logs
                .Where(r => query.ApiKey is null || r.ApiKey == query.ApiKey)
                .Where(r => query.UserId is null || r.UserId == query.UserId)
                .Where(r => query.TeamId is null || r.TeamId == query.TeamId)
                .Where(r => query.RequestId is null || r.RequestId == query.RequestId)
                .Where(r => query.StartTime is null || r.StartTime >= query.StartTime)
                .Where(r => query.EndTime is null || r.StartTime <= query.EndTime)
                .OrderByDescending(r => r.StartTime)
                .Take(query.Limit)
                .ToArray();
        }
    }

    public Task<int> DeleteSpendLogsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoreChanges> ChangesSinceAsync(long afterSequence, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task Check() => Down ? Task.FromException(new KeyStoreException("connection refused: Host=db.internal;Password=hunter2")) : Task.CompletedTask;
}
