using LlmGate.Configuration;
using LlmGate.Providers;
using LlmGate.Routing;

namespace LlmGate.Tests.Routing;

public sealed class RouteTableTests
{
    private static DeploymentConfig Deployment(string modelName, string model, string id, double weight = 1) =>
        new() { ModelName = modelName, Model = model, Id = id, ApiKey = "k", ApiBase = "http://127.0.0.1:9/v1", Weight = weight };

    private static RouteTable Table(params DeploymentConfig[] deployments) => new(deployments, ProviderAdapters.CreateDefault(TimeProvider.System), _ => null);

    [Fact]
    public void TryResolve_ExactName_WinsOverEarlierWildcard()
    {
        var table = Table(Deployment("gpt-*", "openai/*", "wild"), Deployment("gpt-4o", "openai/gpt-4o", "exact"));

        Assert.True(table.TryResolve("gpt-4o", out var match));
        Assert.Equal("gpt-4o", match.Group.Name);
        Assert.Null(match.WildcardCapture);
    }

    [Fact]
    public void TryResolve_ModelGroupAlias_TheTargetGroupEvenWhereAWildcardWouldMatch()
    {
        var table = new RouteTable(
            [Deployment("openai/*", "openai/*", "wild"), Deployment("gpt-4o", "openai/gpt-4o", "exact")],
            ProviderAdapters.CreateDefault(TimeProvider.System),
            _ => null,
            aliases: new Dictionary<string, string> { ["gpt-4"] = "gpt-4o" });

        Assert.True(table.TryResolve("gpt-4", out var aliased));
        Assert.True(table.TryResolve("gpt-4-turbo", out var other));

        Assert.Equal(("gpt-4o", null), (aliased.Group.Name, aliased.WildcardCapture));
        Assert.Equal("openai/*", other.Group.Name);
    }

    [Fact]
    public void TryResolve_Wildcards_FirstInFileOrderWins()
    {
        var table = Table(Deployment("team-a/*", "openai/*", "a"), Deployment("team-*", "openai/*", "b"));

        Assert.True(table.TryResolve("team-a/gpt-4o", out var first));
        Assert.True(table.TryResolve("team-b/gpt-4o", out var second));

        Assert.Equal("team-a/*", first.Group.Name);
        Assert.Equal("gpt-4o", first.WildcardCapture);
        Assert.Equal("team-*", second.Group.Name);
        Assert.Equal("b/gpt-4o", second.WildcardCapture);
    }

    [Fact]
    public void TryResolve_BareOpenAiModel_InfersProviderAndMatchesOpenAiWildcard()
    {
        var table = Table(Deployment("openai/*", "openai/*", "w"));

        Assert.True(table.TryResolve("gpt-4o", out var match));
        var deployment = match.Group.Pick(new Random(1));

        Assert.Equal("openai/*", match.Group.Name);
        Assert.Equal("gpt-4o", deployment.UpstreamModel("gpt-4o", match.WildcardCapture));
    }

    [Fact]
    public void TryResolve_PrefixedModel_UpstreamGetsNameWithoutPrefix()
    {
        var table = Table(Deployment("openai/*", "openai/*", "w"));

        Assert.True(table.TryResolve("openai/gpt-4o-mini", out var match));

        Assert.Equal("gpt-4o-mini", match.Group.Deployments[0].UpstreamModel("openai/gpt-4o-mini", match.WildcardCapture));
    }

    [Fact]
    public void TryResolve_ExactGroup_UpstreamGetsConfiguredModel()
    {
        var table = Table(Deployment("fast", "openai/gpt-4o-mini", "d"));

        Assert.True(table.TryResolve("fast", out var match));

        Assert.Equal("gpt-4o-mini", match.Group.Deployments[0].UpstreamModel("fast", match.WildcardCapture));
    }

    [Theory]
    [InlineData("claude-3-5-sonnet")]
    [InlineData("no-such-model")]
    [InlineData("openai")]
    public void TryResolve_NothingMatches_ReturnsFalse(string model)
    {
        var table = Table(Deployment("openai/*", "openai/*", "w"), Deployment("gpt-4o", "openai/gpt-4o", "e"));

        Assert.False(table.TryResolve(model, out _));
    }

    [Fact]
    public void TryResolve_WildcardInMiddle_MatchesWholeName()
    {
        var table = Table(Deployment("llama-*-instruct", "hosted_vllm/meta/llama-*-instruct", "v"));

        Assert.True(table.TryResolve("llama-3.1-8b-instruct", out var match));
        Assert.False(table.TryResolve("llama-3.1-8b-instruct-extra", out _));

        Assert.Equal("meta/llama-3.1-8b-instruct", match.Group.Deployments[0].UpstreamModel("llama-3.1-8b-instruct", match.WildcardCapture));
    }

    [Fact]
    public void Pick_SeveralDeployments_FollowsWeights()
    {
        var table = Table(
            Deployment("gpt-4o", "openai/gpt-4o", "a", weight: 1),
            Deployment("gpt-4o", "openai/gpt-4o", "b", weight: 3));
        Assert.True(table.TryResolve("gpt-4o", out var match));
        var random = new Random(42);
        const int Draws = 40_000;

        var picksOfB = Enumerable.Range(0, Draws).Count(_ => match.Group.Pick(random).Id == "b");

        // Expected 30,000; four standard deviations (~87 each) either side.
        Assert.InRange(picksOfB, 29_650, 30_350);
    }

    [Fact]
    public void Pick_EqualWeights_SpreadsEvenly()
    {
        var table = Table(
            Deployment("g", "openai/x", "a"), Deployment("g", "openai/x", "b"), Deployment("g", "openai/x", "c"));
        Assert.True(table.TryResolve("g", out var match));
        var random = new Random(7);

        var counts = Enumerable.Range(0, 30_000).GroupBy(_ => match.Group.Pick(random).Id).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(counts.Values, count => Assert.InRange(count, 9_670, 10_330));
        Assert.Equal(3, counts.Count);
    }
}
