using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class ProviderJsonTests
{
    [Fact]
    public void NewId_OpenAisForm_TwentyFourLowercaseHexCharactersAfterThePrefix()
    {
        var id = ProviderJson.NewId("chatcmpl-");

        Assert.StartsWith("chatcmpl-", id, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{24}$", id["chatcmpl-".Length..]);
    }

    [Fact]
    public void NewId_ManyOnSeveralThreads_AllDifferent()
    {
        var ids = new string[4][];
        Parallel.For(0, ids.Length, t => ids[t] = [.. Enumerable.Range(0, 25_000).Select(_ => ProviderJson.NewId("call_"))]);

        Assert.Equal(100_000, ids.SelectMany(i => i).Distinct(StringComparer.Ordinal).Count());
    }
}
