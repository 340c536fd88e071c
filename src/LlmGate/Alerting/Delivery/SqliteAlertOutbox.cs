using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// The durable queue between detection and the senders: a SQLite file (WAL, synchronous=FULL) so a trigger or resolve
/// that was decided survives a crash and is delivered after restart. Each channel has its own lane, delivered oldest
/// first by that channel's sender alone, so a resolve never overtakes its trigger and a stuck channel stalls only its
/// own lane. The schema is versioned and migrated on open (<see cref="OutboxSchema"/>). Only detection and the senders
/// touch it, never the request path.
/// </summary>
internal sealed class SqliteAlertOutbox : IDisposable
{
    public const string FileName = "alerts.db";

    private const string TriggerAction = "trigger";
    private const string ResolveAction = "resolve";

    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    // A wake-up per lane, of capacity one: many enqueues while its sender is busy collapse into one wake-up.
    private readonly ConcurrentDictionary<string, Channel<bool>> _enqueued = new(StringComparer.Ordinal);

    public SqliteAlertOutbox(string databasePath, TimeProvider time)
    {
        _time = time;
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // one long-lived connection; pooling would keep the file open after Dispose
        }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            Execute("""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA busy_timeout = 5000;
                """);
            OutboxSchema.Migrate(_connection, databasePath);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>
    /// Queues one notification's payloads, one per channel. With <paramref name="incident"/>, a trigger also records the
    /// incident as open and a resolve as closed, in the same transaction, so that after a restart the gateway still
    /// knows what to resolve.
    /// </summary>
    public void Enqueue(string dedupKey, AlertAction action, IReadOnlyList<ChannelPayload> payloads, OpenIncident? incident = null)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using (var command = _connection.CreateCommand())
            {
                command.CommandText = """
                    INSERT INTO outbox (channel, dedup_key, action, body, created_at, attempts, next_attempt_at)
                    VALUES ($channel, $key, $action, $body, $now, 0, $now)
                    """;
                var channel = command.Parameters.Add("$channel", SqliteType.Text);
                var body = command.Parameters.Add("$body", SqliteType.Text);
                command.Parameters.AddWithValue("$key", dedupKey);
                command.Parameters.AddWithValue("$action", action == AlertAction.Trigger ? TriggerAction : ResolveAction);
                command.Parameters.AddWithValue("$now", now);
                foreach (var payload in payloads)
                {
                    channel.Value = payload.Channel;
                    body.Value = payload.Payload;
                    command.ExecuteNonQuery();
                }
            }

            if (incident is not null)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = action == AlertAction.Trigger
                    ? "INSERT OR REPLACE INTO open_incidents (dedup_key, kind, scope, opened_at) VALUES ($key, $kind, $scope, $opened)"
                    : "DELETE FROM open_incidents WHERE dedup_key = $key";
                command.Parameters.AddWithValue("$key", incident.DedupKey);
                command.Parameters.AddWithValue("$kind", (int)incident.Kind);
                command.Parameters.AddWithValue("$scope", incident.Scope);
                command.Parameters.AddWithValue("$opened", incident.OpenedAt.UtcTicks);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        foreach (var payload in payloads)
        {
            Lane(payload.Channel).Writer.TryWrite(true);
        }
    }

    /// <summary>The incidents triggered before the last stop and not resolved since.</summary>
    public IReadOnlyList<OpenIncident> LoadOpenIncidents()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT dedup_key, kind, scope, opened_at FROM open_incidents ORDER BY opened_at";
            using var reader = command.ExecuteReader();
            var incidents = new List<OpenIncident>();
            while (reader.Read())
            {
                incidents.Add(new OpenIncident(reader.GetString(0), (AlertKind)reader.GetInt32(1), reader.GetString(2),
                    new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero), QuietSince: null));
            }

            return incidents;
        }
    }

    /// <summary>The oldest pending payload of <paramref name="channel"/>: the one it must deliver before any other.</summary>
    public OutboxEntry? PeekOldest(string channel)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT id, channel, dedup_key, action, body, created_at, attempts, next_attempt_at
                FROM outbox WHERE channel = $channel ORDER BY id LIMIT 1
                """;
            command.Parameters.AddWithValue("$channel", channel);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new OutboxEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3) == TriggerAction ? AlertAction.Trigger : AlertAction.Resolve,
                reader.GetString(4),
                new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
                reader.GetInt32(6),
                new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero));
        }
    }

    public void Delete(long id)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM outbox WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }
    }

    public void Reschedule(long id, int attempts, DateTimeOffset nextAttemptAt)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "UPDATE outbox SET attempts = $attempts, next_attempt_at = $next WHERE id = $id";
            command.Parameters.AddWithValue("$attempts", attempts);
            command.Parameters.AddWithValue("$next", nextAttemptAt.UtcTicks);
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Payloads pending in every lane, or in <paramref name="channel"/>'s only.</summary>
    public int Count(string? channel = null)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM outbox";
            if (channel is not null)
            {
                command.CommandText += " WHERE channel = $channel";
                command.Parameters.AddWithValue("$channel", channel);
            }

            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Every lane with something pending, by channel name.</summary>
    public IReadOnlyList<ChannelBacklog> Backlogs()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT channel, COUNT(*), MIN(created_at) FROM outbox GROUP BY channel ORDER BY channel";
            using var reader = command.ExecuteReader();
            var backlogs = new List<ChannelBacklog>();
            while (reader.Read())
            {
                backlogs.Add(new ChannelBacklog(reader.GetString(0), reader.GetInt32(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero)));
            }

            return backlogs;
        }
    }

    /// <summary>Completes when something was queued for <paramref name="channel"/> since the last call.</summary>
    public ValueTask<bool> WaitForEnqueueAsync(string channel, CancellationToken cancellationToken) => Lane(channel).Reader.ReadAsync(cancellationToken);

    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    private Channel<bool> Lane(string channel) =>
        _enqueued.GetOrAdd(channel, static _ => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }));

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
