using LlmGate.Testing;

namespace LlmGate.Tests.Testing;

/// <summary>A test that starts a PostgreSQL cluster of its own; skipped, saying why, without PostgreSQL binaries.</summary>
public sealed class PostgresServerFactAttribute : FactAttribute
{
    public PostgresServerFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
