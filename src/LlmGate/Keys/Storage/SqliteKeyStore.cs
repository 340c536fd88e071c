using System.Globalization;
using System.Data.Common;
using Microsoft.Data.Sqlite;
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

    protected override object TimeValue(DateTimeOffset value) => value.UtcTicks;

    /// <summary>
    /// SQLite has no round trips to save: one prepared single-row statement, its parameters bound anew for each row.
    /// (A many-row statement costs SQLite a search of its parameter names per bind: quadratic in the rows.)
    /// </summary>
    protected override async Task InsertSpendLogsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SpendLogRow> logs, CancellationToken cancellationToken)
    {
        if (logs.Count == 0)
        {
            return;
        }

        var columns = SpendLogColumnList.Split(',', StringSplitOptions.TrimEntries);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO llmgate_spend_logs ({SpendLogColumnList}) VALUES ({string.Join(", ", columns.Select((_, i) => "$" + (i + 1).ToString(CultureInfo.InvariantCulture)))}) ON CONFLICT (request_id) DO NOTHING";
        var parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            parameters[i] = insert.CreateParameter();
            parameters[i].ParameterName = "$" + (i + 1).ToString(CultureInfo.InvariantCulture);
            insert.Parameters.Add(parameters[i]);
        }

        await insert.PrepareAsync(cancellationToken);
        foreach (var row in logs)
        {
            var values = SpendLogValues(row);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE.
    protected override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };
}
