using LlmGate.Configuration;
using LlmGate.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Tests.Testing;

/// <summary>
/// The gateway's own Redis connection to the test server, with commands allowed 15 s instead of 1 s. A command that the
/// gateway would time out makes a replica decide locally, as it must; but on a 2-core CI machine running every test
/// assembly at once a command can stall past 1 s, and a test asserting that two replicas share a decision would then
/// fail on a correct degrade. The degrade itself is tested against unreachable ports, which fail at once.
/// </summary>
internal static class PatientRedis
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    public static RedisConnection Connection(string url, TimeProvider time)
    {
        var options = RedisReader.ParseUrl(new ConfigReader(_ => null), url, "test", null) ?? throw new ArgumentException("bad URL", nameof(url));
        return new RedisConnection(options with { CommandTimeout = CommandTimeout }, time, NullLogger<RedisConnection>.Instance);
    }
}
