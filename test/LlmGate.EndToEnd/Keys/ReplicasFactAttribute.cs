using LlmGate.Testing;

namespace LlmGate.EndToEnd.Keys;

/// <summary>
/// A test of gateway replicas sharing the PostgreSQL of env LLMGATE_TEST_POSTGRES and the Redis of env
/// LLMGATE_TEST_REDIS; skipped, saying why, when either is missing.
/// </summary>
public sealed class ReplicasFactAttribute : FactAttribute
{
    public ReplicasFactAttribute()
    {
        if ((TestPostgres.SkipReason ?? TestRedis.SkipReason) is { } reason)
        {
            Skip = reason;
        }
    }
}
