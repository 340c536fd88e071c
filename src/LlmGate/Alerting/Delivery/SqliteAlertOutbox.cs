using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
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
    /// Queues one notification's payloads, one per channel, in one transaction. A trigger's payload with
    /// <see cref="ChannelPayload.HeldBy"/> is held instead; with <paramref name="notified"/> (a resolvable trigger) each
    /// channel is recorded as told, so that the resolve goes there. A resolve is queued for each channel unless that
    /// channel's trigger is still held (it never went out: the held trigger is dropped, and nothing is sent), and the
    /// record of where the alert went is cleared. With <paramref name="incident"/>, a trigger also records the incident
    /// as open and a resolve as closed, so that after a restart the gateway still knows what to resolve.
    /// </summary>
    public void Enqueue(
        string dedupKey, AlertAction action, IReadOnlyList<ChannelPayload> payloads, OpenIncident? incident = null, NotifiedAlert? notified = null)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var now = _time.GetUtcNow().UtcTicks;
        var queued = new List<string>(payloads.Count);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var payload in payloads)
            {
                if (action == AlertAction.Trigger && payload.HeldBy is { } silenceId)
                {
                    InsertHeld(dedupKey, payload, notified, silenceId, now);
                }
                else if (action == AlertAction.Trigger || !DeleteHeld(dedupKey, payload.Channel))
                {
                    InsertQueued(dedupKey, action, payload, now);
                    queued.Add(payload.Channel);
                }

                if (action == AlertAction.Trigger && notified is not null)
                {
                    RecordNotified(dedupKey, payload.Channel, notified);
                }
            }

            if (action == AlertAction.Resolve)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "DELETE FROM notified WHERE dedup_key = $key";
                command.Parameters.AddWithValue("$key", dedupKey);
                command.ExecuteNonQuery();
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

        foreach (var channel in queued)
        {
            Lane(channel).Writer.TryWrite(true);
        }
    }

    /// <summary>Where the open alert <paramref name="dedupKey"/> went (or was held back from), one entry per channel.</summary>
    public IReadOnlyList<NotifiedAlert> Notified(string dedupKey)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT channel, type, title, labels, opened_at FROM notified WHERE dedup_key = $key ORDER BY channel";
            command.Parameters.AddWithValue("$key", dedupKey);
            using var reader = command.ExecuteReader();
            var notified = new List<NotifiedAlert>();
            while (reader.Read())
            {
                notified.Add(new NotifiedAlert(reader.GetString(0), reader.GetString(1), reader.GetString(2), ReadLabels(reader.GetString(3)),
                    new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero)));
            }

            return notified;
        }
    }

    /// <summary>
    /// The alerts of <paramref name="type"/> told (or held by a silence) and not resolved, one per dedup key, oldest
    /// first: after a restart, what its condition must still resolve.
    /// </summary>
    public IReadOnlyList<(string DedupKey, NotifiedAlert Alert)> OpenAlerts(string type)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT dedup_key, min(channel), type, title, labels, opened_at FROM notified WHERE type = $type
                GROUP BY dedup_key ORDER BY opened_at, dedup_key
                """;
            command.Parameters.AddWithValue("$type", type);
            using var reader = command.ExecuteReader();
            var open = new List<(string, NotifiedAlert)>();
            while (reader.Read())
            {
                open.Add((reader.GetString(0), new NotifiedAlert(reader.GetString(1), reader.GetString(2), reader.GetString(3), ReadLabels(reader.GetString(4)),
                    new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero))));
            }

            return open;
        }
    }

    /// <summary>Every trigger a silence holds back, oldest first.</summary>
    public IReadOnlyList<HeldEntry> Held()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, channel, dedup_key, body, labels, resolvable, created_at, silence_id FROM held ORDER BY id";
            using var reader = command.ExecuteReader();
            var held = new List<HeldEntry>();
            while (reader.Read())
            {
                held.Add(new HeldEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), ReadLabels(reader.GetString(4)),
                    reader.GetInt64(5) != 0, new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero), reader.GetString(7)));
            }

            return held;
        }
    }

    /// <summary>
    /// Ends the hold on <paramref name="held"/>: queues it in its lane when <paramref name="deliver"/> (its alert is
    /// still open once the silence is over), else drops it. False when it was no longer held.
    /// </summary>
    public bool EndHold(HeldEntry held, bool deliver)
    {
        ArgumentNullException.ThrowIfNull(held);
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using (var command = _connection.CreateCommand())
            {
                command.CommandText = "DELETE FROM held WHERE id = $id";
                command.Parameters.AddWithValue("$id", held.Id);
                if (command.ExecuteNonQuery() == 0)
                {
                    return false;
                }
            }

            if (deliver)
            {
                InsertQueued(held.DedupKey, AlertAction.Trigger, new ChannelPayload(held.Channel, held.Payload), _time.GetUtcNow().UtcTicks);
            }
            else if (!held.Resolvable)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "DELETE FROM notified WHERE dedup_key = $key AND channel = $channel";
                command.Parameters.AddWithValue("$key", held.DedupKey);
                command.Parameters.AddWithValue("$channel", held.Channel);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        if (deliver)
        {
            Lane(held.Channel).Writer.TryWrite(true);
        }

        return true;
    }

    /// <summary>Per channel, how many triggers silences hold back.</summary>
    public IReadOnlyDictionary<string, int> HeldCounts()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT channel, COUNT(*) FROM held GROUP BY channel ORDER BY channel";
            using var reader = command.ExecuteReader();
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt32(1);
            }

            return counts;
        }
    }

    /// <summary>Writes (or replaces) the silence <paramref name="id"/>; <paramref name="body"/> is its JSON, opaque here.</summary>
    public void SaveSilence(string id, string body, DateTimeOffset endsAt, DateTimeOffset updatedAt)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO silences (id, body, ends_at, updated_at) VALUES ($id, $body, $ends, $updated)
                ON CONFLICT (id) DO UPDATE SET body = excluded.body, ends_at = excluded.ends_at, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$body", body);
            command.Parameters.AddWithValue("$ends", endsAt.UtcTicks);
            command.Parameters.AddWithValue("$updated", updatedAt.UtcTicks);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Every stored silence's JSON.</summary>
    public IReadOnlyList<string> LoadSilences()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT body FROM silences ORDER BY updated_at";
            using var reader = command.ExecuteReader();
            var bodies = new List<string>();
            while (reader.Read())
            {
                bodies.Add(reader.GetString(0));
            }

            return bodies;
        }
    }

    /// <summary>Deletes the silences that ended before <paramref name="cutoff"/>; how many.</summary>
    public int DeleteSilencesEndedBefore(DateTimeOffset cutoff)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM silences WHERE ends_at < $cutoff";
            command.Parameters.AddWithValue("$cutoff", cutoff.UtcTicks);
            return command.ExecuteNonQuery();
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

    private void InsertQueued(string dedupKey, AlertAction action, ChannelPayload payload, long now)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO outbox (channel, dedup_key, action, body, created_at, attempts, next_attempt_at)
            VALUES ($channel, $key, $action, $body, $now, 0, $now)
            """;
        command.Parameters.AddWithValue("$channel", payload.Channel);
        command.Parameters.AddWithValue("$key", dedupKey);
        command.Parameters.AddWithValue("$action", action == AlertAction.Trigger ? TriggerAction : ResolveAction);
        command.Parameters.AddWithValue("$body", payload.Payload);
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
    }

    private void InsertHeld(string dedupKey, ChannelPayload payload, NotifiedAlert? notified, string silenceId, long now)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO held (channel, dedup_key, body, labels, resolvable, created_at, silence_id)
            VALUES ($channel, $key, $body, $labels, $resolvable, $now, $silence)
            """;
        command.Parameters.AddWithValue("$channel", payload.Channel);
        command.Parameters.AddWithValue("$key", dedupKey);
        command.Parameters.AddWithValue("$body", payload.Payload);
        command.Parameters.AddWithValue("$labels", WriteLabels(payload.Labels ?? notified?.Labels ?? AlertLabels.None));
        command.Parameters.AddWithValue("$resolvable", notified is null ? 0 : 1);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$silence", silenceId);
        command.ExecuteNonQuery();
    }

    /// <summary>Drops <paramref name="channel"/>'s held triggers of <paramref name="dedupKey"/>; true when there was one.</summary>
    private bool DeleteHeld(string dedupKey, string channel)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM held WHERE dedup_key = $key AND channel = $channel";
        command.Parameters.AddWithValue("$key", dedupKey);
        command.Parameters.AddWithValue("$channel", channel);
        return command.ExecuteNonQuery() > 0;
    }

    private void RecordNotified(string dedupKey, string channel, NotifiedAlert notified)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO notified (dedup_key, channel, type, title, labels, opened_at)
            VALUES ($key, $channel, $type, $title, $labels, $opened)
            ON CONFLICT (dedup_key, channel) DO UPDATE SET type = excluded.type, title = excluded.title, labels = excluded.labels
            """;
        command.Parameters.AddWithValue("$key", dedupKey);
        command.Parameters.AddWithValue("$channel", channel);
        command.Parameters.AddWithValue("$type", notified.Type);
        command.Parameters.AddWithValue("$title", notified.Title);
        command.Parameters.AddWithValue("$labels", WriteLabels(notified.Labels));
        command.Parameters.AddWithValue("$opened", notified.OpenedAt.UtcTicks);
        command.ExecuteNonQuery();
    }

    private static string WriteLabels(IReadOnlyDictionary<string, string> labels) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(labels, StringComparer.Ordinal), AlertStateJsonContext.Default.DictionaryStringString);

    private static Dictionary<string, string> ReadLabels(string json) =>
        JsonSerializer.Deserialize(json, AlertStateJsonContext.Default.DictionaryStringString) ?? new Dictionary<string, string>(StringComparer.Ordinal);

    private Channel<bool> Lane(string channel) =>
        _enqueued.GetOrAdd(channel, static _ => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite }));

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
