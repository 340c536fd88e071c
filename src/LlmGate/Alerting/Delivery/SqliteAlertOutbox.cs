using System.Threading.Channels;
using LlmGate.Alerting.PagerDuty;
using Microsoft.Data.Sqlite;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// The durable queue between the detector and the sender: a SQLite file (WAL, synchronous=FULL) so a trigger or
/// resolve that was decided survives a crash and is delivered after restart. Rows are delivered oldest first.
/// Only the detector and the sender touch it, never the request path.
/// </summary>
internal sealed class SqliteAlertOutbox : IDisposable
{
    public const string FileName = "alerts.db";

    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    // Capacity one: many enqueues while the sender is busy collapse into one wake-up.
    private readonly Channel<bool> _enqueued = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

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
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 5000;
            CREATE TABLE IF NOT EXISTS outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                dedup_key TEXT NOT NULL,
                action TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS open_incidents (
                dedup_key TEXT PRIMARY KEY,
                kind INTEGER NOT NULL,
                scope TEXT NOT NULL,
                opened_at INTEGER NOT NULL
            );
            """);
    }

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>
    /// Queues an event. With <paramref name="incident"/>, a trigger also records the incident as open and a resolve as
    /// closed, in the same transaction, so that after a restart the gateway still knows what to resolve.
    /// </summary>
    public void Enqueue(PagerDutyEvent alertEvent, OpenIncident? incident = null)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using (var command = _connection.CreateCommand())
            {
                command.CommandText = "INSERT INTO outbox (dedup_key, action, body, created_at, attempts, next_attempt_at) VALUES ($key, $action, $body, $now, 0, $now)";
                command.Parameters.AddWithValue("$key", alertEvent.DedupKey);
                command.Parameters.AddWithValue("$action", alertEvent.Action);
                command.Parameters.AddWithValue("$body", alertEvent.BodyWithoutRoutingKey);
                command.Parameters.AddWithValue("$now", now);
                command.ExecuteNonQuery();
            }

            if (incident is not null)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = alertEvent.Action == "trigger"
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

        _enqueued.Writer.TryWrite(true);
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

    /// <summary>The oldest pending event: the one that must be delivered before any other.</summary>
    public OutboxEntry? PeekOldest()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, dedup_key, action, body, created_at, attempts, next_attempt_at FROM outbox ORDER BY id LIMIT 1";
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new OutboxEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                reader.GetInt32(5),
                new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero));
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

    public int Count()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM outbox";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Completes when something was enqueued since the last call.</summary>
    public ValueTask<bool> WaitForEnqueueAsync(CancellationToken cancellationToken) => _enqueued.Reader.ReadAsync(cancellationToken);

    public void Dispose()
    {
        lock (_lock)
        {
            _connection.Dispose();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
