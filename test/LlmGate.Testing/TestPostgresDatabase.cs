using Npgsql;

namespace LlmGate.Testing;

/// <summary>A database of one test class's own on the shared test server; dropped, with its connections, on dispose.</summary>
public sealed class TestPostgresDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    internal TestPostgresDatabase(string adminConnectionString, string name, string url)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        Url = url;
    }

    public string Name { get; }

    /// <summary>A <c>postgresql://</c> URL of the database, as a user would write <c>database_url</c>.</summary>
    public string Url { get; }

    /// <summary>The URL with the search path set to a fresh schema of its own: a test's own empty corner of the database.</summary>
    public async Task<string> CreateSchemaUrlAsync()
    {
        var schema = "s" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = Name }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await command.ExecuteNonQueryAsync();
        return Url + (Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "schema=" + schema;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
