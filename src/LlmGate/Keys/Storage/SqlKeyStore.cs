using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using LlmGate.Configuration;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>
/// The SQL both stores share: the same tables, columns and statements on SQLite and PostgreSQL (both speak
/// <c>ON CONFLICT DO NOTHING</c>, <c>IS NOT DISTINCT FROM</c>, <c>LIMIT/OFFSET</c> and <c>@name</c> parameters). A
/// subclass supplies connections, how a time is stored, how a unique violation looks, and the migrations.
/// A connection per operation, from the provider's pool; every mutation writes its change rows in its own transaction.
/// </summary>
internal abstract class SqlKeyStore : IKeyStore
{
    private const string KeyColumns = "token, key_name, key_alias, models, spend, " + LimitColumns
        + ", expires, metadata, team_id, user_id, blocked, created_at, updated_at, created_by";

    private const string TeamColumns = "team_id, team_alias, models, spend, " + LimitColumns
        + ", metadata, members_with_roles, blocked, created_at, updated_at";

    private const string UserColumns = "user_id, user_alias, user_email, user_role, models, spend, " + LimitColumns
        + ", metadata, created_at, updated_at";

    private const string LimitColumns = "max_budget, soft_budget, budget_duration, budget_reset_at, rpm_limit, tpm_limit, max_parallel_requests";

    private const string LimitParameters = "@max_budget, @soft_budget, @budget_duration, @budget_reset_at, @rpm_limit, @tpm_limit, @max_parallel_requests";

    private const string LimitAssignments = "max_budget = @max_budget, soft_budget = @soft_budget, budget_duration = @budget_duration, "
        + "budget_reset_at = @budget_reset_at, rpm_limit = @rpm_limit, tpm_limit = @tpm_limit, max_parallel_requests = @max_parallel_requests";

    private const int SpendLogsPerInsert = 100;
    private const string SpendLogColumns = "request_id, call_type, api_key, key_alias, spend, prompt_tokens, completion_tokens, total_tokens, "
        + "start_time, end_time, model, model_id, model_group, custom_llm_provider, team_id, user_id, status";

    private const int MaxChanges = 1000;

    private static readonly TimeSpan ChangeRetention = TimeSpan.FromHours(1);
    private static readonly TimeSpan BatchIdRetention = TimeSpan.FromDays(1);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private long _nextPruneTicks;

    protected SqlKeyStore(TimeProvider time, ILogger logger)
    {
        Time = time;
        Logger = logger;
    }

    public abstract string Kind { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>Where the store is, for messages: a file path, or host:port/database. Never a password.</summary>
    protected abstract string Target { get; }

    /// <summary>
    /// Run just before change rows are inserted, inside the transaction; PostgreSQL serialises the change writers here
    /// so that sequence order is commit order. Null when the database already serialises writers (SQLite).
    /// </summary>
    protected virtual string? ChangeLockSql => null;

    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync("answer a ping", async (connection, ct) =>
            {
                await using var command = Command(connection, null, "SELECT 1");
                return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 1;
            }, cancellationToken);
        }
        catch (KeyStoreException)
        {
            return false;
        }
    }

    public Task<VirtualKey?> FindKeyAsync(string token, CancellationToken cancellationToken) =>
        RunAsync("read a key", (connection, ct) => ReadOneAsync(connection, $"SELECT {KeyColumns} FROM llmgate_keys WHERE token = @id", token, ReadKey, ct), cancellationToken);

    public Task<VirtualKey?> FindKeyByAliasAsync(string alias, CancellationToken cancellationToken) =>
        RunAsync("read a key", (connection, ct) => ReadOneAsync(connection, $"SELECT {KeyColumns} FROM llmgate_keys WHERE key_alias = @id", alias, ReadKey, ct), cancellationToken);

    public Task CreateKeyAsync(VirtualKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return InsertAsync("create a key",
            $"INSERT INTO llmgate_keys ({KeyColumns}) VALUES (@token, @key_name, @key_alias, @models, @spend, {LimitParameters}, "
            + "@expires, @metadata, @team_id, @user_id, @blocked, @created_at, @updated_at, @created_by)",
            command => AddKeyParameters(command, key), key.Spend, key.CreatedAt, key.UpdatedAt,
            new EntityChange(SpendEntityKind.Key, key.Token), "a key with that token or alias already exists", cancellationToken);
    }

    public Task<bool> UpdateKeyAsync(VirtualKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return UpdateAsync("update a key",
            $"UPDATE llmgate_keys SET key_name = @key_name, key_alias = @key_alias, models = @models, {LimitAssignments}, "
            + "expires = @expires, metadata = @metadata, team_id = @team_id, user_id = @user_id, blocked = @blocked, "
            + "updated_at = @updated_at, created_by = @created_by WHERE token = @token",
            command => AddKeyParameters(command, key), new EntityChange(SpendEntityKind.Key, key.Token), "another key already has that alias", cancellationToken);
    }

    public Task<bool> SetKeySpendAsync(string token, double spend, CancellationToken cancellationToken) =>
        WriteAsync("set a key's spend", async (connection, transaction, ct) =>
        {
            await using var command = Command(connection, transaction, "UPDATE llmgate_keys SET spend = @spend, updated_at = @now WHERE token = @token");
            Add(command, "@spend", spend);
            Add(command, "@now", TimeValue(Time.GetUtcNow()));
            Add(command, "@token", token);
            return await ChangedOneAsync(command, connection, transaction, new EntityChange(SpendEntityKind.Key, token), ct);
        }, cancellationToken);

    public Task<bool> ReplaceKeyTokenAsync(string oldToken, string newToken, string newKeyName, CancellationToken cancellationToken) =>
        WriteAsync("regenerate a key", async (connection, transaction, ct) =>
        {
            await using var command = Command(connection, transaction,
                "UPDATE llmgate_keys SET token = @new, key_name = @name, updated_at = @now WHERE token = @old");
            Add(command, "@new", newToken);
            Add(command, "@name", newKeyName);
            Add(command, "@now", TimeValue(Time.GetUtcNow()));
            Add(command, "@old", oldToken);
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }

            // Both: the old token must leave every replica's cache, the new one may have been cached as unknown.
            await AddChangesAsync(connection, transaction, [new(SpendEntityKind.Key, oldToken), new(SpendEntityKind.Key, newToken)], ct);
            return true;
        }, cancellationToken, "a key with the new token already exists");

    public Task<IReadOnlyList<string>> DeleteKeysAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken) =>
        DeleteAsync("delete keys", "llmgate_keys", "token", SpendEntityKind.Key, tokens, clearTeam: false, cancellationToken);

    public Task<KeyListPage> ListKeysAsync(KeyListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync("list keys", async (connection, ct) =>
        {
            var where = new StringBuilder();
            var filters = new List<(string Name, object Value)>();
            Filter(where, filters, "user_id", "=", query.UserId);
            Filter(where, filters, "team_id", "=", query.TeamId);
            Filter(where, filters, "key_alias", "=", query.KeyAlias);
            Filter(where, filters, "token", "=", query.KeyHash);

            int total;
            await using (var count = Command(connection, null, "SELECT COUNT(*) FROM llmgate_keys" + where))
            {
                AddAll(count, filters);
                total = Convert.ToInt32(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            }

            var size = Math.Max(1, query.Size);
            var page = Math.Max(1, query.Page);
            await using var command = Command(connection, null,
                $"SELECT {KeyColumns} FROM llmgate_keys{where} ORDER BY created_at DESC, token DESC LIMIT @limit OFFSET @offset");
            AddAll(command, filters);
            Add(command, "@limit", size);
            Add(command, "@offset", (long)(page - 1) * size);
            return new KeyListPage(await ReadAllAsync(command, ReadKey, ct), total);
        }, cancellationToken);
    }

    public Task<KeyTeam?> FindTeamAsync(string teamId, CancellationToken cancellationToken) =>
        RunAsync("read a team", (connection, ct) => ReadOneAsync(connection, $"SELECT {TeamColumns} FROM llmgate_teams WHERE team_id = @id", teamId, ReadTeam, ct), cancellationToken);

    public Task CreateTeamAsync(KeyTeam team, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(team);
        return InsertAsync("create a team",
            $"INSERT INTO llmgate_teams ({TeamColumns}) VALUES (@team_id, @team_alias, @models, @spend, {LimitParameters}, "
            + "@metadata, @members_with_roles, @blocked, @created_at, @updated_at)",
            command => AddTeamParameters(command, team), team.Spend, team.CreatedAt, team.UpdatedAt,
            new EntityChange(SpendEntityKind.Team, team.TeamId), "a team with that id already exists", cancellationToken);
    }

    public Task<bool> UpdateTeamAsync(KeyTeam team, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(team);
        return UpdateAsync("update a team",
            $"UPDATE llmgate_teams SET team_alias = @team_alias, models = @models, {LimitAssignments}, metadata = @metadata, "
            + "members_with_roles = @members_with_roles, blocked = @blocked, updated_at = @updated_at WHERE team_id = @team_id",
            command => AddTeamParameters(command, team), new EntityChange(SpendEntityKind.Team, team.TeamId), conflict: null, cancellationToken);
    }

    public Task<IReadOnlyList<string>> DeleteTeamsAsync(IReadOnlyList<string> teamIds, CancellationToken cancellationToken) =>
        DeleteAsync("delete teams", "llmgate_teams", "team_id", SpendEntityKind.Team, teamIds, clearTeam: true, cancellationToken);

    public Task<IReadOnlyList<KeyTeam>> ListTeamsAsync(CancellationToken cancellationToken) =>
        RunAsync("list teams", async (connection, ct) =>
        {
            await using var command = Command(connection, null, $"SELECT {TeamColumns} FROM llmgate_teams ORDER BY created_at, team_id");
            return await ReadAllAsync(command, ReadTeam, ct);
        }, cancellationToken);

    public Task<KeyUser?> FindUserAsync(string userId, CancellationToken cancellationToken) =>
        RunAsync("read a user", (connection, ct) => ReadOneAsync(connection, $"SELECT {UserColumns} FROM llmgate_users WHERE user_id = @id", userId, ReadUser, ct), cancellationToken);

    public Task CreateUserAsync(KeyUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return InsertAsync("create a user",
            $"INSERT INTO llmgate_users ({UserColumns}) VALUES (@user_id, @user_alias, @user_email, @user_role, @models, @spend, "
            + $"{LimitParameters}, @metadata, @created_at, @updated_at)",
            command => AddUserParameters(command, user), user.Spend, user.CreatedAt, user.UpdatedAt,
            new EntityChange(SpendEntityKind.User, user.UserId), "a user with that id already exists", cancellationToken);
    }

    public Task<bool> UpdateUserAsync(KeyUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return UpdateAsync("update a user",
            $"UPDATE llmgate_users SET user_alias = @user_alias, user_email = @user_email, user_role = @user_role, models = @models, "
            + $"{LimitAssignments}, metadata = @metadata, updated_at = @updated_at WHERE user_id = @user_id",
            command => AddUserParameters(command, user), new EntityChange(SpendEntityKind.User, user.UserId), conflict: null, cancellationToken);
    }

    public Task ApplySpendAsync(SpendBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync("apply spend", async (connection, transaction, ct) =>
        {
            var now = Time.GetUtcNow();
            await using (var claim = Command(connection, transaction,
                "INSERT INTO llmgate_spend_batches (batch_id, applied_at) VALUES (@batch, @now) ON CONFLICT DO NOTHING"))
            {
                Add(claim, "@batch", batch.BatchId.ToString("D"));
                Add(claim, "@now", TimeValue(now));
                if (await claim.ExecuteNonQueryAsync(ct) == 0)
                {
                    return false; // applied before: a retry after a lost reply
                }
            }

            var touched = new List<EntityChange>();
            foreach (var step in SpendStep.Order(batch))
            {
                var (table, key) = TableOf(step.Kind);
                await using var command = step.Reset is not null
                    ? Command(connection, transaction,
                        $"UPDATE {table} SET spend = 0, budget_reset_at = @next WHERE {key} = @id AND budget_reset_at IS NOT DISTINCT FROM @expected")
                    : Command(connection, transaction, $"UPDATE {table} SET spend = spend + @amount WHERE {key} = @id");
                Add(command, "@id", step.Id);
                if (step.Reset is { } r)
                {
                    Add(command, "@next", TimeValue(r.NextResetAt));
                    Add(command, "@expected", r.ExpectedResetAt is { } expected ? TimeValue(expected) : null);
                }
                else
                {
                    Add(command, "@amount", step.Amount);
                }

                var change = new EntityChange(step.Kind, step.Id);
                if (await command.ExecuteNonQueryAsync(ct) > 0 && !touched.Contains(change))
                {
                    touched.Add(change);
                }
            }

            await InsertSpendLogsAsync(connection, transaction, batch.Logs, ct);
            await AddChangesAsync(connection, transaction, touched, ct);
            await PruneIfDueAsync(connection, transaction, now, ct);
            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<BudgetReset>> DueBudgetResetsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync("read the budgets due a reset", async (connection, ct) =>
        {
            var due = new List<BudgetReset>();
            foreach (var kind in new[] { SpendEntityKind.Key, SpendEntityKind.Team, SpendEntityKind.User })
            {
                var (table, key) = TableOf(kind);
                await using var command = Command(connection, null,
                    $"SELECT {key}, budget_duration, budget_reset_at FROM {table} WHERE budget_reset_at <= @now AND budget_duration IS NOT NULL LIMIT 1000");
                Add(command, "@now", TimeValue(now));
                foreach (var (id, duration, resetAt) in await ReadAllAsync(command, reader => (reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)), ct))
                {
                    if (BudgetDuration.TryParse(duration, out var period))
                    {
                        due.Add(new BudgetReset(kind, id, resetAt, period.NextAfter(resetAt, now)));
                    }
                }
            }

            return (IReadOnlyList<BudgetReset>)due;
        }, cancellationToken);

    public Task<IReadOnlyList<SpendLogRow>> QuerySpendLogsAsync(SpendLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync("read spend logs", async (connection, ct) =>
        {
            var where = new StringBuilder();
            var filters = new List<(string Name, object Value)>();
            Filter(where, filters, "api_key", "=", query.ApiKey);
            Filter(where, filters, "user_id", "=", query.UserId);
            Filter(where, filters, "team_id", "=", query.TeamId);
            Filter(where, filters, "request_id", "=", query.RequestId);
            Filter(where, filters, "start_time", ">=", query.StartTime is { } start ? TimeValue(start) : null);
            Filter(where, filters, "start_time", "<=", query.EndTime is { } end ? TimeValue(end) : null);
            await using var command = Command(connection, null,
                $"SELECT {SpendLogColumns} FROM llmgate_spend_logs{where} ORDER BY start_time DESC, request_id DESC LIMIT @limit");
            AddAll(command, filters);
            Add(command, "@limit", Math.Max(0, query.Limit));
            return await ReadAllAsync(command, ReadSpendLog, ct);
        }, cancellationToken);
    }

    public Task<int> DeleteSpendLogsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        RunAsync("delete old spend logs", async (connection, ct) =>
        {
            await using var command = Command(connection, null, "DELETE FROM llmgate_spend_logs WHERE start_time < @cutoff");
            Add(command, "@cutoff", TimeValue(cutoff));
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <summary>
    /// Rows after <paramref name="afterSequence"/>, 0 included: from the start means the last hour's changes (older ones
    /// are pruned), at most 1000 a call, so a poller starting at 0 pages through them like any other. With none, the
    /// last sequence stays <paramref name="afterSequence"/>.
    /// </summary>
    public Task<StoreChanges> ChangesSinceAsync(long afterSequence, CancellationToken cancellationToken) =>
        RunAsync("read changes", async (connection, ct) =>
        {
            await using var command = Command(connection, null, "SELECT seq, kind, id FROM llmgate_changes WHERE seq > @after ORDER BY seq LIMIT @limit");
            Add(command, "@after", afterSequence);
            Add(command, "@limit", MaxChanges);
            var last = afterSequence;
            var changes = new List<EntityChange>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                last = reader.GetInt64(0);
                changes.Add(new EntityChange(KindOf(reader.GetString(1)), reader.GetString(2)));
            }

            return new StoreChanges(last, changes);
        }, cancellationToken);

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies the migrations the database lacks, in order, in one transaction that starts by taking
    /// <paramref name="lockSql"/> (or, on SQLite, the write lock <c>BEGIN IMMEDIATE</c> takes): two gateways starting
    /// at once apply each migration once. Migrations only add, so a database that a newer LlmGate has migrated further
    /// still serves this one (replicas of two versions during a rolling upgrade).
    /// </summary>
    protected Task MigrateAsync(IReadOnlyList<string> migrations, string createMigrationsTable, string? lockSql, CancellationToken cancellationToken) =>
        RunAsync("apply its schema migrations", async (connection, ct) =>
        {
            var applied = new List<int>();
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                if (lockSql is not null)
                {
                    await ExecuteAsync(connection, transaction, lockSql, ct);
                }

                await ExecuteAsync(connection, transaction, createMigrationsTable, ct);
                long current;
                await using (var read = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM llmgate_schema_migrations"))
                {
                    current = Convert.ToInt64(await read.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                }

                for (var version = (int)current + 1; version <= migrations.Count; version++)
                {
                    await ExecuteAsync(connection, transaction, migrations[version - 1], ct);
                    await using var record = Command(connection, transaction, "INSERT INTO llmgate_schema_migrations (version, applied_at) VALUES (@version, @now)");
                    Add(record, "@version", version);
                    Add(record, "@now", TimeValue(Time.GetUtcNow()));
                    await record.ExecuteNonQueryAsync(ct);
                    applied.Add(version);
                }

                await transaction.CommitAsync(ct);
            }

            foreach (var version in applied)
            {
                KeyStoreLog.MigrationApplied(Logger, Kind, Target, version);
            }

            return true;
        }, cancellationToken);

    /// <summary>A time as this database stores it: UTC.</summary>
    protected abstract object TimeValue(DateTimeOffset value);

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    protected abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Opens a connection, runs <paramref name="action"/>, and turns database and network failures into the store's exceptions.</summary>
    protected async Task<T> RunAsync<T>(string operation, Func<DbConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken, string? conflict = null)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await action(connection, cancellationToken);
        }
        catch (DbException exception) when (conflict is not null && IsUniqueViolation(exception))
        {
            throw new KeyStoreConflictException(conflict);
        }
        catch (Exception exception) when (exception is DbException or TimeoutException or IOException or SocketException or InvalidOperationException)
        {
            // The provider's message names a host, a file or an SQL state, never the connection string's password.
            throw new KeyStoreException($"The {Kind} key store ({Target}) could not {operation}: {exception.Message}", exception);
        }
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    protected static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<T> WriteAsync<T>(string operation, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> action, CancellationToken cancellationToken, string? conflict = null) =>
        RunAsync(operation, async (connection, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var result = await action(connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken, conflict);

    /// <summary>Inserts one key, team or user; its own times are kept (an import), or stamped now when unset.</summary>
    private Task InsertAsync(string operation, string sql, Action<DbCommand> addParameters, double spend, DateTimeOffset createdAt, DateTimeOffset updatedAt, EntityChange change, string conflict, CancellationToken cancellationToken) =>
        WriteAsync(operation, async (connection, transaction, ct) =>
        {
            var now = Time.GetUtcNow();
            await using var command = Command(connection, transaction, sql);
            addParameters(command);
            Add(command, "@spend", spend);
            Add(command, "@created_at", TimeValue(createdAt == default ? now : createdAt));
            Add(command, "@updated_at", TimeValue(updatedAt == default ? now : updatedAt));
            await command.ExecuteNonQueryAsync(ct);
            await AddChangesAsync(connection, transaction, [change], ct);
            return true;
        }, cancellationToken, conflict);

    /// <summary>Updates one key, team or user (never its spend or created_at), stamping updated_at; false when absent.</summary>
    private Task<bool> UpdateAsync(string operation, string sql, Action<DbCommand> addParameters, EntityChange change, string? conflict, CancellationToken cancellationToken) =>
        WriteAsync(operation, async (connection, transaction, ct) =>
        {
            await using var command = Command(connection, transaction, sql);
            addParameters(command);
            Add(command, "@updated_at", TimeValue(Time.GetUtcNow()));
            return await ChangedOneAsync(command, connection, transaction, change, ct);
        }, cancellationToken, conflict);

    private async Task<IReadOnlyList<string>> DeleteAsync(string operation, string table, string key, SpendEntityKind kind, IReadOnlyList<string> ids, bool clearTeam, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        return await WriteAsync(operation, async (connection, transaction, ct) =>
        {
            var deleted = new List<string>();
            var changes = new List<EntityChange>();
            foreach (var id in ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await using var command = Command(connection, transaction, $"DELETE FROM {table} WHERE {key} = @id");
                Add(command, "@id", id);
                if (await command.ExecuteNonQueryAsync(ct) == 0)
                {
                    continue;
                }

                deleted.Add(id);
                changes.Add(new EntityChange(kind, id));
                if (clearTeam)
                {
                    // LiteLLM keeps a deleted team's keys, teamless; each of them changed too.
                    await using var keys = Command(connection, transaction, "UPDATE llmgate_keys SET team_id = NULL WHERE team_id = @id RETURNING token");
                    Add(keys, "@id", id);
                    await using var reader = await keys.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        changes.Add(new EntityChange(SpendEntityKind.Key, reader.GetString(0)));
                    }
                }
            }

            await AddChangesAsync(connection, transaction, changes, ct);
            return (IReadOnlyList<string>)deleted;
        }, cancellationToken);
    }

    private async Task<bool> ChangedOneAsync(DbCommand command, DbConnection connection, DbTransaction transaction, EntityChange change, CancellationToken cancellationToken)
    {
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await AddChangesAsync(connection, transaction, [change], cancellationToken);
        return true;
    }

    private async Task AddChangesAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<EntityChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        if (ChangeLockSql is { } lockSql)
        {
            await ExecuteAsync(connection, transaction, lockSql, cancellationToken);
        }

        await using var command = Command(connection, transaction, "INSERT INTO llmgate_changes (kind, id, at) VALUES (@kind, @id, @at)");
        var kind = command.CreateParameter();
        kind.ParameterName = "@kind";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        command.Parameters.Add(kind);
        command.Parameters.Add(id);
        Add(command, "@at", TimeValue(Time.GetUtcNow()));
        foreach (var change in changes)
        {
            kind.Value = KindName(change.Kind);
            id.Value = change.Id;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>At most once a minute per store: change rows older than an hour, batch ids older than a day.</summary>
    private async Task PruneIfDueAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPruneTicks, (now + PruneInterval).UtcTicks, due) != due)
        {
            return;
        }

        await using (var changes = Command(connection, transaction, "DELETE FROM llmgate_changes WHERE at < @cutoff"))
        {
            Add(changes, "@cutoff", TimeValue(now - ChangeRetention));
            await changes.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var batches = Command(connection, transaction, "DELETE FROM llmgate_spend_batches WHERE applied_at < @cutoff");
        Add(batches, "@cutoff", TimeValue(now - BatchIdRetention));
        await batches.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T?> ReadOneAsync<T>(DbConnection connection, string sql, string id, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = Command(connection, null, sql);
        Add(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static void Filter(StringBuilder where, List<(string Name, object Value)> filters, string column, string op, object? value)
    {
        if (value is null)
        {
            return;
        }

        var name = "@f" + filters.Count.ToString(CultureInfo.InvariantCulture);
        where.Append(filters.Count == 0 ? " WHERE " : " AND ").Append(column).Append(' ').Append(op).Append(' ').Append(name);
        filters.Add((name, value));
    }

    private static void AddAll(DbCommand command, List<(string Name, object Value)> filters)
    {
        foreach (var (name, value) in filters)
        {
            Add(command, name, value);
        }
    }

    private void AddLimitParameters(DbCommand command, EntityLimits limits)
    {
        Add(command, "@max_budget", limits.MaxBudget);
        Add(command, "@soft_budget", limits.SoftBudget);
        Add(command, "@budget_duration", limits.BudgetDuration);
        Add(command, "@budget_reset_at", limits.BudgetResetAt is { } resetAt ? TimeValue(resetAt) : null);
        Add(command, "@rpm_limit", limits.RpmLimit);
        Add(command, "@tpm_limit", limits.TpmLimit);
        Add(command, "@max_parallel_requests", limits.MaxParallelRequests);
    }

    private void AddKeyParameters(DbCommand command, VirtualKey key)
    {
        Add(command, "@token", key.Token);
        Add(command, "@key_name", key.KeyName);
        Add(command, "@key_alias", key.KeyAlias);
        Add(command, "@models", ModelListJson.Write(key.Models));
        AddLimitParameters(command, key.Limits);
        Add(command, "@expires", key.Expires is { } expires ? TimeValue(expires) : null);
        Add(command, "@metadata", key.Metadata);
        Add(command, "@team_id", key.TeamId);
        Add(command, "@user_id", key.UserId);
        Add(command, "@blocked", key.Blocked);
        Add(command, "@created_by", key.CreatedBy);
    }

    private void AddTeamParameters(DbCommand command, KeyTeam team)
    {
        Add(command, "@team_id", team.TeamId);
        Add(command, "@team_alias", team.TeamAlias);
        Add(command, "@models", ModelListJson.Write(team.Models));
        AddLimitParameters(command, team.Limits);
        Add(command, "@metadata", team.Metadata);
        Add(command, "@members_with_roles", team.MembersWithRoles);
        Add(command, "@blocked", team.Blocked);
    }

    private void AddUserParameters(DbCommand command, KeyUser user)
    {
        Add(command, "@user_id", user.UserId);
        Add(command, "@user_alias", user.UserAlias);
        Add(command, "@user_email", user.UserEmail);
        Add(command, "@user_role", user.UserRole);
        Add(command, "@models", ModelListJson.Write(user.Models));
        AddLimitParameters(command, user.Limits);
        Add(command, "@metadata", user.Metadata);
    }

    /// <summary>
    /// Inserts a batch's spend-log rows (a request id already there is skipped). Here many rows per statement: one
    /// round trip per row made a busy second's batch take longer than the write interval on PostgreSQL, and the
    /// batch's spend commits only with its last log row.
    /// </summary>
    protected virtual async Task InsertSpendLogsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SpendLogRow> logs, CancellationToken cancellationToken)
    {
        for (var first = 0; first < logs.Count; first += SpendLogsPerInsert)
        {
            var rows = Math.Min(SpendLogsPerInsert, logs.Count - first);
            await using var insert = Command(connection, transaction, SpendLogInsert(rows));
            for (var i = 0; i < rows; i++)
            {
                AddSpendLogParameters(insert, logs[first + i], i);
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The column list of the spend log, for a store's own insert.</summary>
    protected static string SpendLogColumnList => SpendLogColumns;

    /// <summary>How many columns <see cref="SpendLogColumnList"/> names.</summary>
    protected static int SpendLogColumnCount => SpendLogParameterNames.Length;

    /// <summary>Hands a row's values to <paramref name="columns"/> in <see cref="SpendLogColumnList"/>'s order.</summary>
    protected static void WriteSpendLogColumns<TColumns>(SpendLogRow row, ref TColumns columns)
        where TColumns : struct, ISpendLogColumns
    {
        columns.Text(0, row.RequestId);
        columns.Text(1, row.CallType);
        columns.Text(2, row.ApiKey);
        columns.Text(3, row.KeyAlias);
        columns.Real(4, row.Spend);
        columns.Integer(5, row.PromptTokens);
        columns.Integer(6, row.CompletionTokens);
        columns.Integer(7, row.TotalTokens);
        columns.Time(8, row.StartTime);
        columns.Time(9, row.EndTime);
        columns.Text(10, row.Model);
        columns.Text(11, row.ModelId);
        columns.Text(12, row.ModelGroup);
        columns.Text(13, row.Provider);
        columns.Text(14, row.TeamId);
        columns.Text(15, row.UserId);
        columns.Text(16, row.Status);
    }

    // One INSERT of `rows` spend-log rows, the parameters of row i suffixed _i (17 a row: within SQLite's and PostgreSQL's limits).
    private static string SpendLogInsert(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO llmgate_spend_logs ({SpendLogColumns}) VALUES ");
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture,
                $"(@request_id_{i}, @call_type_{i}, @api_key_{i}, @key_alias_{i}, @spend_{i}, @prompt_tokens_{i}, @completion_tokens_{i}, "
                + $"@total_tokens_{i}, @start_time_{i}, @end_time_{i}, @model_{i}, @model_id_{i}, @model_group_{i}, @custom_llm_provider_{i}, "
                + $"@team_id_{i}, @user_id_{i}, @status_{i})");
        }

        return sql.Append(" ON CONFLICT (request_id) DO NOTHING").ToString();
    }

    private void AddSpendLogParameters(DbCommand command, SpendLogRow row, int index)
    {
        var parameters = new SpendLogParameters(this, command, "_" + index.ToString(CultureInfo.InvariantCulture));
        WriteSpendLogColumns(row, ref parameters);
    }

    // A DbParameter holds an object, so here the values are boxed anyway.
    private readonly struct SpendLogParameters(SqlKeyStore store, DbCommand command, string suffix) : ISpendLogColumns
    {
        public void Text(int column, string? value) => Add(command, SpendLogParameterNames[column] + suffix, value);

        public void Real(int column, double value) => Add(command, SpendLogParameterNames[column] + suffix, value);

        public void Integer(int column, long value) => Add(command, SpendLogParameterNames[column] + suffix, value);

        public void Time(int column, DateTimeOffset value) => Add(command, SpendLogParameterNames[column] + suffix, store.TimeValue(value));
    }

    private static readonly string[] SpendLogParameterNames =
    [
        "@request_id", "@call_type", "@api_key", "@key_alias", "@spend", "@prompt_tokens", "@completion_tokens", "@total_tokens",
        "@start_time", "@end_time", "@model", "@model_id", "@model_group", "@custom_llm_provider", "@team_id", "@user_id", "@status",
    ];

    // Readers: ordinals follow the column lists above; the limit columns sit at `first` .. `first + 6`.
    private EntityLimits ReadLimits(DbDataReader reader, int first) => new()
    {
        MaxBudget = NullableDouble(reader, first),
        SoftBudget = NullableDouble(reader, first + 1),
        BudgetDuration = NullableString(reader, first + 2),
        BudgetResetAt = reader.IsDBNull(first + 3) ? null : ReadTime(reader, first + 3),
        RpmLimit = NullableLong(reader, first + 4),
        TpmLimit = NullableLong(reader, first + 5),
        MaxParallelRequests = NullableLong(reader, first + 6),
    };

    private VirtualKey ReadKey(DbDataReader reader) => new()
    {
        Token = reader.GetString(0),
        KeyName = reader.GetString(1),
        KeyAlias = NullableString(reader, 2),
        Models = ModelListJson.Read(reader.GetString(3)),
        Spend = reader.GetDouble(4),
        Limits = ReadLimits(reader, 5),
        Expires = reader.IsDBNull(12) ? null : ReadTime(reader, 12),
        Metadata = reader.GetString(13),
        TeamId = NullableString(reader, 14),
        UserId = NullableString(reader, 15),
        Blocked = reader.GetBoolean(16),
        CreatedAt = ReadTime(reader, 17),
        UpdatedAt = ReadTime(reader, 18),
        CreatedBy = NullableString(reader, 19),
    };

    private KeyTeam ReadTeam(DbDataReader reader) => new()
    {
        TeamId = reader.GetString(0),
        TeamAlias = NullableString(reader, 1),
        Models = ModelListJson.Read(reader.GetString(2)),
        Spend = reader.GetDouble(3),
        Limits = ReadLimits(reader, 4),
        Metadata = reader.GetString(11),
        MembersWithRoles = reader.GetString(12),
        Blocked = reader.GetBoolean(13),
        CreatedAt = ReadTime(reader, 14),
        UpdatedAt = ReadTime(reader, 15),
    };

    private KeyUser ReadUser(DbDataReader reader) => new()
    {
        UserId = reader.GetString(0),
        UserAlias = NullableString(reader, 1),
        UserEmail = NullableString(reader, 2),
        UserRole = reader.GetString(3),
        Models = ModelListJson.Read(reader.GetString(4)),
        Spend = reader.GetDouble(5),
        Limits = ReadLimits(reader, 6),
        Metadata = reader.GetString(13),
        CreatedAt = ReadTime(reader, 14),
        UpdatedAt = ReadTime(reader, 15),
    };

    private SpendLogRow ReadSpendLog(DbDataReader reader) => new()
    {
        RequestId = reader.GetString(0),
        CallType = reader.GetString(1),
        ApiKey = reader.GetString(2),
        KeyAlias = NullableString(reader, 3),
        Spend = reader.GetDouble(4),
        PromptTokens = reader.GetInt64(5),
        CompletionTokens = reader.GetInt64(6),
        TotalTokens = reader.GetInt64(7),
        StartTime = ReadTime(reader, 8),
        EndTime = ReadTime(reader, 9),
        Model = NullableString(reader, 10),
        ModelId = NullableString(reader, 11),
        ModelGroup = NullableString(reader, 12),
        Provider = NullableString(reader, 13),
        TeamId = NullableString(reader, 14),
        UserId = NullableString(reader, 15),
        Status = reader.GetString(16),
    };

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static long? NullableLong(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static (string Table, string Key) TableOf(SpendEntityKind kind) => kind switch
    {
        SpendEntityKind.Key => ("llmgate_keys", "token"),
        SpendEntityKind.Team => ("llmgate_teams", "team_id"),
        _ => ("llmgate_users", "user_id"),
    };

    private static string KindName(SpendEntityKind kind) => kind switch
    {
        SpendEntityKind.Key => "key",
        SpendEntityKind.Team => "team",
        _ => "user",
    };

    private static SpendEntityKind KindOf(string name) => name switch
    {
        "key" => SpendEntityKind.Key,
        "team" => SpendEntityKind.Team,
        _ => SpendEntityKind.User,
    };
}
