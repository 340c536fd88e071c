using LlmGate.Configuration;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>The store the config asks for: PostgreSQL when a database URL is set, else SQLite in the data directory.</summary>
internal static class KeyStores
{
    public const string SqliteFileName = "keys.db";

    public static IKeyStore Create(SpendOptions options, string dataDirectory, TimeProvider time, ILoggerFactory loggers) =>
        options.DatabaseUrl is { } url
            ? new PostgresKeyStore(url, time, loggers.CreateLogger<PostgresKeyStore>())
            : new SqliteKeyStore(Path.Combine(dataDirectory, SqliteFileName), time, loggers.CreateLogger<SqliteKeyStore>());
}
