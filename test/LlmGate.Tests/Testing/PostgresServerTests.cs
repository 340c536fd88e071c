using LlmGate.Keys;
using LlmGate.Testing;
using Npgsql;

namespace LlmGate.Tests.Testing;

public sealed class PostgresServerTests
{
    [PostgresServerFact]
    public async Task StopAndStartAgain_ConnectionsRefusedWhileStopped_DataKept()
    {
        await using var server = await PostgresServer.StartAsync();
        var connectionString = PostgresConnectionString.FromUrl(server.Url) + ";Pooling=false;Timeout=3";
        await ExecuteAsync(connectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(connectionString, "SELECT 1"));

        await server.StartAgainAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT v FROM kept", connection);
        Assert.Equal(42, await command.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
