using LlmGate.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>A test that starts and stops a PostgreSQL cluster of its own (<see cref="PostgresServer"/>); skipped, saying why, without the binaries.</summary>
public sealed class PostgresOutageFactAttribute : FactAttribute
{
    public PostgresOutageFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
