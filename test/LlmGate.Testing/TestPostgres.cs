using System.Globalization;
using LlmGate.Keys;
using Npgsql;

namespace LlmGate.Testing;

/// <summary>
/// The PostgreSQL server the PostgreSQL tests share, named by env <c>LLMGATE_TEST_POSTGRES</c>
/// (<c>postgresql://llmgate:llmgate@127.0.0.1:5441/postgres</c>): a role that may create databases. Each test class
/// creates a database of its own (<see cref="CreateDatabaseAsync"/>) and drops it at the end, so classes running in
/// parallel never meet.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LLMGATE_TEST_POSTGRES";

    private static readonly Lazy<string?> LazySkipReason = new(FindSkipReason);

    public static string? Url => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url ? url : null;

    /// <summary>Why the PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => LazySkipReason.Value;

    /// <summary>A fresh, empty database <c>llmgate_test_&lt;random&gt;</c> on the shared server; dropped on dispose.</summary>
    public static async Task<TestPostgresDatabase> CreateDatabaseAsync()
    {
        var url = Url ?? throw new InvalidOperationException($"{Variable} is not set");
        var name = "llmgate_test_" + Guid.NewGuid().ToString("N")[..12];
        var admin = PostgresConnectionString.FromUrl(url);
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TestPostgresDatabase(admin, name, WithDatabase(url, name));
    }

    /// <summary><paramref name="url"/> with its database (the path) replaced, query kept.</summary>
    public static string WithDatabase(string url, string database)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var head = query < 0 ? url : url[..query];
        var tail = query < 0 ? "" : url[query..];
        var slash = head.IndexOf('/', head.IndexOf("://", StringComparison.Ordinal) + 3);
        return (slash < 0 ? head : head[..slash]) + "/" + database + tail;
    }

    private static string? FindSkipReason()
    {
        if (Url is not { } url)
        {
            return $"{Variable} is not set: start a PostgreSQL server with a role that may create databases and export "
                + $"{Variable}=postgresql://llmgate:llmgate@127.0.0.1:5441/postgres (as .ci/run does) to run the PostgreSQL tests";
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(url));
        var host = builder.Host ?? "127.0.0.1";
        return TestRedis.IsListening(host, builder.Port)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{Variable} names {host}:{builder.Port}, which is not reachable: the PostgreSQL tests need a running server there");
    }
}
