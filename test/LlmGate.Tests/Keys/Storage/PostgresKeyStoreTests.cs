using System.Globalization;
using LlmGate.Keys;
using LlmGate.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LlmGate.Tests.Keys.Storage;

/// <summary>
/// The store contract on PostgreSQL (env LLMGATE_TEST_POSTGRES): the class gets a database of its own, each test a
/// fresh schema in it, reached through a <c>postgresql://</c> URL with <c>?schema=</c>, as a user would write it.
/// </summary>
public sealed class PostgresKeyStoreTests(PostgresKeyStoreTests.Database database) : KeyStoreContractTests, IClassFixture<PostgresKeyStoreTests.Database>
{
    public static string? SkipReason => TestPostgres.SkipReason;

    protected override int MigrationCount => PostgresKeySchema.Migrations.Count;

    [StoreFact]
    public async Task AnyOperation_ServerUnreachable_KeyStoreExceptionWithoutThePassword()
    {
        var port = LoopbackPorts.Free();
        await using var store = new PostgresKeyStore(
            $"postgresql://llmgate:S3cret%2Fpw@127.0.0.1:{port}/keys?pool_timeout=2", TimeProvider.System, NullLogger<PostgresKeyStore>.Instance);

        var exception = await Assert.ThrowsAsync<KeyStoreException>(() => store.FindKeyAsync("t", CancellationToken.None));

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}/keys"), exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", exception.ToString(), StringComparison.Ordinal);
        Assert.False(await store.PingAsync(CancellationToken.None));
    }

    [StoreFact]
    public async Task MigrateAsync_WrongPasswordInKeywordForm_KeyStoreExceptionWithoutThePassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(TestPostgres.Url!)) { Password = "wrong-Pa55word", Database = database.Value.Name };
        await using var store = new PostgresKeyStore(builder.ConnectionString, TimeProvider.System, NullLogger<PostgresKeyStore>.Instance);

        var exception = await Assert.ThrowsAsync<KeyStoreException>(() => store.MigrateAsync(CancellationToken.None));

        Assert.DoesNotContain("Pa55word", exception.ToString(), StringComparison.Ordinal);
        Assert.Contains(database.Value.Name, exception.Message, StringComparison.Ordinal);
    }

    protected override Task<string> CreateLocationAsync() => database.Value.CreateSchemaUrlAsync();

    protected override Task DeleteLocationAsync(string location) => Task.CompletedTask; // the class's database is dropped whole

    private protected override IKeyStore OpenStore(string location, TimeProvider time) =>
        new PostgresKeyStore(location, time, NullLogger<PostgresKeyStore>.Instance);

    protected override async Task<long> CountMigrationRowsAsync(string location)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresConnectionString.FromUrl(location));
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM llmgate_schema_migrations");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The class's own database, created on first use (never when the tests are skipped) and dropped at the end.</summary>
    public sealed class Database : IAsyncLifetime
    {
        private TestPostgresDatabase? _value;

        public TestPostgresDatabase Value => _value ?? throw new InvalidOperationException("no database: LLMGATE_TEST_POSTGRES is not set");

        public async Task InitializeAsync()
        {
            if (TestPostgres.SkipReason is null)
            {
                _value = await TestPostgres.CreateDatabaseAsync();
            }
        }

        public async Task DisposeAsync()
        {
            if (_value is not null)
            {
                await _value.DisposeAsync();
            }
        }
    }
}
