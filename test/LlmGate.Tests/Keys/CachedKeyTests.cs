using LlmGate.Keys;

namespace LlmGate.Tests.Keys;

public sealed class CachedKeyTests
{
    [Fact]
    public void Apply_RecordWithOnlySpendChanged_KeepsTheSameIdentity()
    {
        var key = new CachedKey(new VirtualKey { Token = "hash", KeyName = "sk-...abcd", KeyAlias = "app", Spend = 1 }, team: null, user: null);
        var identity = key.Identity;

        key.Apply(key.Record with { Spend = 2.5 });

        Assert.Same(identity, key.Identity);
    }

    [Fact]
    public void Apply_AliasChanged_MakesANewIdentityWithIt()
    {
        var key = new CachedKey(new VirtualKey { Token = "hash", KeyName = "sk-...abcd", KeyAlias = "app" }, team: null, user: null);
        var identity = key.Identity;

        key.Apply(key.Record with { KeyAlias = "renamed" });

        Assert.NotSame(identity, key.Identity);
        Assert.Equal("renamed", key.Identity.KeyAlias);
    }
}
