using LlmGate.Keys;

namespace LlmGate.Tests.Keys;

public sealed class ModelAccessTests
{
    [Fact]
    public void EmptyList_AllowsEveryModel() => Assert.True(new ModelAccess([]).Allows("anything"));

    [Theory]
    [InlineData("gpt-4o", true)]
    [InlineData("gpt-4o-mini", false)]
    [InlineData("openai/gpt-5", true)]
    [InlineData("anthropic/claude", false)]
    public void NamesAndWildcards_MatchAsLiteLlm(string model, bool allowed) =>
        Assert.Equal(allowed, new ModelAccess(["gpt-4o", "openai/*"]).Allows(model));

    [Fact]
    public void AllTeamModels_DefersToTheTeam()
    {
        var access = new ModelAccess(["all-team-models"]);

        Assert.True(access.DefersToTeam);
        Assert.False(access.Allows("gpt-4o"));
    }

    [Fact]
    public void AllProxyModels_AllowsEveryModel() => Assert.True(new ModelAccess(["all-proxy-models"]).Allows("x"));
}
