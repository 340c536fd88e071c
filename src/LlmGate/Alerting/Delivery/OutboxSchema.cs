using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LlmGate.Alerting.Delivery;

/// <summary>
/// The outbox file's schema, as numbered migrations. <c>PRAGMA user_version</c> counts the migrations a file has had;
/// opening it runs the rest in order, each in its own transaction together with the version it reaches, so a crash
/// leaves the file at the last whole step. Migrations only add: no pending event or open incident is ever dropped.
/// A file from a newer LlmGate (a version above <see cref="Version"/>) is refused rather than guessed at.
/// </summary>
internal static class OutboxSchema
{
    // Never edit a migration that has shipped: files out there have had it. Add the next one at the end.
    private static readonly string[] Migrations =
    [
        // 1. The outbox as LlmGate first wrote it (version 0: it set no version): one queue of PagerDuty events, and
        //    the incidents open. A file from then has both tables already, so this changes nothing in it.
        """
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
        """,

        // 2. One lane per channel, each delivered by its own sender. Every row queued before was PagerDuty's.
        """
        ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'pagerduty';
        CREATE INDEX outbox_by_channel ON outbox (channel, id);
        """,

        // 3. Where each open alert went, so its resolve follows it (the incidents open before went to PagerDuty);
        //    triggers a silence holds back; and the silences.
        """
        CREATE TABLE notified (
            dedup_key TEXT NOT NULL,
            channel TEXT NOT NULL,
            type TEXT NOT NULL,
            title TEXT NOT NULL,
            labels TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            PRIMARY KEY (dedup_key, channel)
        );
        INSERT INTO notified (dedup_key, channel, type, title, labels, opened_at)
            SELECT dedup_key, 'pagerduty', CASE kind WHEN 1 THEN 'llm_requests_hanging' ELSE 'llm_api_failure' END, '', '{}', opened_at
            FROM open_incidents;
        CREATE TABLE held (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            channel TEXT NOT NULL,
            dedup_key TEXT NOT NULL,
            body TEXT NOT NULL,
            labels TEXT NOT NULL,
            resolvable INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            silence_id TEXT NOT NULL
        );
        CREATE INDEX held_by_key ON held (dedup_key, channel);
        CREATE TABLE silences (
            id TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            ends_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """,
    ];

    /// <summary>The version this LlmGate writes.</summary>
    public static int Version => Migrations.Length;

    /// <summary>Brings the open file up to <see cref="Version"/>.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer LlmGate.</exception>
    public static void Migrate(SqliteConnection connection, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(connection);
        while (true)
        {
            // BEGIN IMMEDIATE: the version read and the step it leads to are one write transaction.
            using var transaction = connection.BeginTransaction();
            var version = ReadVersion(connection);
            if (version == Version)
            {
                return;
            }

            if (version > Version)
            {
                throw new InvalidOperationException(
                    $"{databasePath} has outbox schema version {version}, but this LlmGate knows versions up to {Version}: "
                    + "it was written by a newer LlmGate. Run that version, or move the file away (it may hold undelivered alerts).");
            }

            Execute(connection, Migrations[version]);
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version + 1}"));
            transaction.Commit();
        }
    }

    public static int ReadVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
