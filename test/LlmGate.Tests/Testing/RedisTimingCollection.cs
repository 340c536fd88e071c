namespace LlmGate.Tests.Testing;

/// <summary>
/// Tests that talk to the test Redis through the gateway's own connection, whose commands time out after 1 s (a replica
/// then degrades to local state, as it must): run alone, so that a busy 2-core CI machine running the other test
/// classes beside them cannot stall a command past that timeout and turn a correct degrade into a failed assertion.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisTimingCollection
{
    public const string Name = "Redis, run alone";
}
