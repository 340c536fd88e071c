using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmGate.Keys;

/// <summary>
/// Keys, teams, users and spend in PostgreSQL (<c>database_url</c>), in tables of LlmGate's own (<c>llmgate_*</c>), so
/// it may share LiteLLM's database. Change-writing transactions take one advisory lock just before they insert their
/// change rows and hold it to commit: sequence values are then committed in order, and a poller never skips a row
/// that commits late.
/// </summary>
internal sealed class PostgresKeyStore : SqlKeyStore
{
    // Arbitrary constants, LlmGate's own: "LLMG" in ASCII, then 1 and 2.
    private const long MigrationLock = 0x4C4C4D47_00000001;
    private const long ChangeLock = 0x4C4C4D47_00000002;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresKeyStore(string databaseUrl, TimeProvider time, ILogger<PostgresKeyStore> logger)
        : base(time, logger)
    {
        var connectionString = PostgresConnectionString.FromUrl(databaseUrl);
        Target = PostgresConnectionString.Describe(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override string Kind => "postgresql";

    protected override string Target { get; }

    protected override string? ChangeLockSql => $"SELECT pg_advisory_xact_lock({ChangeLock})";

    public override Task MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(PostgresKeySchema.Migrations, PostgresKeySchema.CreateMigrationsTable, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override object TimeValue(DateTimeOffset value) => value.ToUniversalTime();

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    protected override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
