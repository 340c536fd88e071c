using LlmGate.Testing;

namespace LlmGate.Tests.Keys.Storage;

/// <summary>A test against the shared PostgreSQL of env LLMGATE_TEST_POSTGRES; skipped, saying why, when it is unset or unreachable.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
