using LlmGate.Testing;

namespace LlmGate.EndToEnd.Redis;

/// <summary>A test that starts and stops a redis-server of its own; skipped when redis-server is not on PATH.</summary>
public sealed class RedisServerFactAttribute : FactAttribute
{
    public RedisServerFactAttribute()
    {
        if (RedisServer.Executable is null)
        {
            Skip = "redis-server is not on PATH (apt-get install redis-server): this test starts and stops a Redis of its own";
        }
    }
}
