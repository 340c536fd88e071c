using System.Globalization;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>
/// Keys, teams, users and spend in a SQLite file (<c>&lt;data-dir&gt;/keys.db</c>): WAL, so readers never wait for the
/// spend writer; a pooled connection per operation; write transactions start with <c>BEGIN IMMEDIATE</c>, so SQLite
/// serialises writers and change sequence order is commit order.
/// </summary>
internal sealed class SqliteKeyStore : SqlKeyStore
{
    public const string FileName = "keys.db";

    private const string ConnectionSetup = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";

    private readonly string _connectionString;

    public SqliteKeyStore(string databasePath, TimeProvider time, ILogger<SqliteKeyStore> logger)
        : base(time, logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        Target = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public override string Kind => "sqlite";

    protected override string Target { get; }

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(Target));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // WAL is a property of the file, set outside any transaction; once is enough, and repeating it is harmless.
        await RunAsync("switch to WAL", async (connection, ct) =>
        {
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", ct);
            return true;
        }, cancellationToken);
        await MigrateAsync(SqliteKeySchema.Migrations, SqliteKeySchema.CreateMigrationsTable, lockSql: null, cancellationToken);
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release this file's, not every pool in the process.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, ConnectionSetup, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override object TimeValue(DateTimeOffset value) => StoredTime(value);

    private static readonly string SpendLogInsert =
        $"INSERT INTO llmgate_spend_logs ({SpendLogColumnList}) VALUES ({string.Join(", ", Enumerable.Repeat("?", SpendLogColumnCount))}) ON CONFLICT (request_id) DO NOTHING";

    /// <summary>
    /// SQLite has no round trips to save, so the cost is the binding: one statement prepared once for the batch, each
    /// row bound by position, typed (nothing boxed), and stepped through SQLite's own API.
    /// </summary>
    protected override Task InsertSpendLogsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SpendLogRow> logs, CancellationToken cancellationToken)
    {
        if (logs.Count == 0)
        {
            return Task.CompletedTask;
        }

        var database = ((SqliteConnection)connection).Handle!;
        Check(raw.sqlite3_prepare_v2(database, SpendLogInsert, out var statement), database);
        using (statement)
        {
            var columns = new SpendLogBinding(statement, database);
            foreach (var row in logs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteSpendLogColumns(row, ref columns);
                if (raw.sqlite3_step(statement) is var done and not raw.SQLITE_DONE)
                {
                    Check(done, database);
                }

                Check(raw.sqlite3_reset(statement), database);
            }
        }

        return Task.CompletedTask;
    }

    private static void Check(int result, sqlite3 database)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(result, database);
        }
    }

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.
    protected override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };

    // Times are stored as UTC ticks.
    private static long StoredTime(DateTimeOffset value) => value.UtcTicks;

    // Parameters are 1-based.
    private readonly struct SpendLogBinding(sqlite3_stmt statement, sqlite3 database) : ISpendLogColumns
    {
        public void Text(int column, string? value) =>
            Check(value is null ? raw.sqlite3_bind_null(statement, column + 1) : raw.sqlite3_bind_text(statement, column + 1, value), database);

        public void Real(int column, double value) => Check(raw.sqlite3_bind_double(statement, column + 1, value), database);

        public void Integer(int column, long value) => Check(raw.sqlite3_bind_int64(statement, column + 1, value), database);

        public void Time(int column, DateTimeOffset value) => Check(raw.sqlite3_bind_int64(statement, column + 1, StoredTime(value)), database);
    }
}
