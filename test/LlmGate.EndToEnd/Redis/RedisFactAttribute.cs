using LlmGate.Testing;

namespace LlmGate.EndToEnd.Redis;

/// <summary>A test against the shared Redis of env LLMGATE_TEST_REDIS; skipped, saying why, when it is unset or unreachable.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (TestRedis.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
