using LlmGate.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>A gateway test on the shared PostgreSQL of env LLMGATE_TEST_POSTGRES; skipped, saying why, when it is unset or unreachable.</summary>
public sealed class PostgresGatewayFactAttribute : FactAttribute
{
    public PostgresGatewayFactAttribute()
    {
        if (TestPostgres.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
