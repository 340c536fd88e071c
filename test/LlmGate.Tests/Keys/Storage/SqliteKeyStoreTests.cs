using System.Globalization;
using LlmGate.Keys;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Tests.Keys.Storage;

/// <summary>The store contract on SQLite: a fresh <c>keys.db</c> in a temp dir per test.</summary>
public sealed class SqliteKeyStoreTests : KeyStoreContractTests
{
    protected override int MigrationCount => SqliteKeySchema.Migrations.Count;

    [Fact]
    public async Task AnyOperation_FileCannotBeOpened_KeyStoreExceptionNamingThePath()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-keys-");
        try
        {
            var notADirectory = Path.Combine(directory.FullName, "file");
            await File.WriteAllTextAsync(notADirectory, "");
            await using var store = new SqliteKeyStore(Path.Combine(notADirectory, "keys.db"), TimeProvider.System, NullLogger<SqliteKeyStore>.Instance);

            var exception = await Assert.ThrowsAsync<KeyStoreException>(() => store.FindKeyAsync("t", CancellationToken.None));

            Assert.Contains(notADirectory, exception.Message, StringComparison.Ordinal);
            Assert.False(await store.PingAsync(CancellationToken.None));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task MigrateAsync_SetsWalJournal()
    {
        var path = await CreateLocationAsync();
        try
        {
            await using (var store = new SqliteKeyStore(path, TimeProvider.System, NullLogger<SqliteKeyStore>.Instance))
            {
                await store.MigrateAsync(CancellationToken.None);
            }

            Assert.Equal("wal", await ScalarAsync(path, "PRAGMA journal_mode"));
        }
        finally
        {
            await DeleteLocationAsync(path);
        }
    }

    protected override Task<string> CreateLocationAsync() =>
        Task.FromResult(Path.Combine(Directory.CreateTempSubdirectory("llmgate-keys-").FullName, SqliteKeyStore.FileName));

    protected override Task DeleteLocationAsync(string location)
    {
        Directory.Delete(Path.GetDirectoryName(location)!, recursive: true);
        return Task.CompletedTask;
    }

    private protected override IKeyStore OpenStore(string location, TimeProvider time) =>
        new SqliteKeyStore(location, time, NullLogger<SqliteKeyStore>.Instance);

    protected override async Task<long> CountMigrationRowsAsync(string location) =>
        Convert.ToInt64(await ScalarAsync(location, "SELECT COUNT(*) FROM llmgate_schema_migrations"), CultureInfo.InvariantCulture);

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
