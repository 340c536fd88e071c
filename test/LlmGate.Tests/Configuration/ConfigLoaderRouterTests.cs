using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderRouterTests
{
    private const string Models = """
        model_list:
          - model_name: gpt-4o
            litellm_params: {model: openai/gpt-4o, api_key: k, num_retries: 4, max_retries: 1, rpm: 60}
          - model_name: gpt-4o-mini
            litellm_params: {model: openai/gpt-4o-mini, api_key: k}

        """;

    [Fact]
    public void LoadText_NoRouterKeys_UsesLiteLlmDefaults()
    {
        var router = Load(Models).Config!.Router;

        Assert.Equal((2, 5, 3, TimeSpan.FromSeconds(5), false), (router.NumRetries, router.MaxFallbacks, router.AllowedFails, router.CooldownTime, router.DisableCooldowns));
        Assert.Equal(RoutingStrategyKind.SimpleShuffle, router.RoutingStrategy);
        Assert.Empty(router.Fallbacks);
        Assert.Empty(router.DefaultFallbacks);
        Assert.Equal(TimeSpan.Zero, router.MinRetryWait);
    }

    [Fact]
    public void LoadText_EveryRouterKey_IsRead()
    {
        var result = Load(Models + """
            router_settings:
              routing_strategy: least-busy
              num_retries: 5
              retry_after: 0.5
              allowed_fails: 1
              cooldown_time: 30
              disable_cooldowns: false
              max_fallbacks: 2
              fallbacks: [{"gpt-4o": ["gpt-4o-mini"]}]
              default_fallbacks: ["gpt-4o-mini"]
              context_window_fallbacks: [{"gpt-4o-mini": ["gpt-4o"]}]
              content_policy_fallbacks: {"gpt-4o": "gpt-4o-mini"}
            """);

        Assert.Empty(result.Warnings);
        var router = result.Config!.Router;
        Assert.Equal(RoutingStrategyKind.LeastBusy, router.RoutingStrategy);
        Assert.Equal((5, 1, 2), (router.NumRetries, router.AllowedFails, router.MaxFallbacks));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)), (router.CooldownTime, router.MinRetryWait));
        Assert.Equal(["gpt-4o-mini"], router.Fallbacks["gpt-4o"]);
        Assert.Equal(["gpt-4o-mini"], router.DefaultFallbacks);
        Assert.Equal(["gpt-4o"], router.ContextWindowFallbacks["gpt-4o-mini"]);
        Assert.Equal(["gpt-4o-mini"], router.ContentPolicyFallbacks["gpt-4o"]);
        var deployment = result.Config.Deployments[0];
        Assert.Equal((4, 1, 60), (deployment.NumRetries!.Value, deployment.MaxRetries!.Value, deployment.Rpm!.Value));
    }

    [Fact]
    public void LoadText_RouterSettingsAndLitellmSettings_RouterWinsKeyByKey()
    {
        var router = Load(Models + """
            litellm_settings:
              num_retries: 7
              fallbacks: [{"gpt-4o": ["gpt-4o-mini"]}]
              allowed_fails: 9
            router_settings:
              num_retries: 1
            """).Config!.Router;

        Assert.Equal((1, 9), (router.NumRetries, router.AllowedFails));
        Assert.Equal(["gpt-4o-mini"], router.Fallbacks["gpt-4o"]);
    }

    [Theory]
    [InlineData("latency-based-routing", "LatencyBased")]
    [InlineData("simple-shuffle", "SimpleShuffle")]
    public void LoadText_KnownStrategy_IsUsed(string name, string expected)
    {
        var result = Load(Models + $"router_settings:\n  routing_strategy: {name}\n");

        Assert.Empty(result.Warnings);
        Assert.Equal(Enum.Parse<RoutingStrategyKind>(expected), result.Config!.Router.RoutingStrategy);
    }

    [Theory]
    [InlineData("usage-based-routing-v2", "usage-based-routing-v2 is not implemented yet; simple-shuffle is used")]
    [InlineData("fastest", "unknown routing strategy; simple-shuffle is used")]
    public void LoadText_OtherStrategy_WarnsAndFallsBackToSimpleShuffle(string name, string message)
    {
        var result = Load(Models + $"router_settings:\n  routing_strategy: {name}\n");

        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("router_settings.routing_strategy", 7), (warning.Path, warning.Line));
        Assert.StartsWith(message, warning.Message, StringComparison.Ordinal);
        Assert.Equal(RoutingStrategyKind.SimpleShuffle, result.Config!.Router.RoutingStrategy);
    }

    [Fact]
    public void LoadText_RoutingStrategyUnderLitellmSettings_PointsToRouterSettings()
    {
        var result = Load(Models + "litellm_settings:\n  routing_strategy: least-busy\n");

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("move it to router_settings.routing_strategy", warning.Message, StringComparison.Ordinal);
        Assert.Equal(RoutingStrategyKind.SimpleShuffle, result.Config!.Router.RoutingStrategy);
    }

    [Fact]
    public void LoadText_CooldownTimeZero_DisablesCooldowns()
    {
        Assert.True(Load(Models + "router_settings:\n  cooldown_time: 0\n").Config!.Router.DisableCooldowns);
        Assert.True(Load(Models + "router_settings:\n  disable_cooldowns: true\n").Config!.Router.DisableCooldowns);
    }

    [Fact]
    public void LoadText_FallbackToUnknownGroup_Warns()
    {
        var result = Load(Models + "router_settings:\n  fallbacks: [{\"gpt-4o\": [\"claude\"]}]\n");

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("fallback model group 'claude' is not a model_name in model_list; it is skipped", warning.Message);
    }

    [Theory]
    [InlineData("fallbacks")]
    [InlineData("context_window_fallbacks")]
    [InlineData("content_policy_fallbacks")]
    public void LoadText_FallbacksForAnUnknownGroup_WarnThatTheyNeverApply(string key)
    {
        var result = Load(Models + $"router_settings:\n  {key}: [{{\"gpt4o\": [\"gpt-4o-mini\"]}}, {{\"*\": [\"gpt-4o-mini\"]}}]\n");

        var warning = Assert.Single(result.Warnings);
        Assert.Equal("fallbacks are listed for model group 'gpt4o', which is not a model_name in model_list; they never apply", warning.Message);
    }

    [Fact]
    public void LoadText_FallbacksForANameAWildcardServes_NoWarning()
    {
        var result = Load("""
            model_list:
              - model_name: "openai/*"
                litellm_params: {model: "openai/*", api_key: k}
              - model_name: small
                litellm_params: {model: openai/gpt-4o-mini, api_key: k}
            router_settings:
              fallbacks: [{"gpt-4o": ["small"]}]
            """);

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void LoadText_ModelGroupAlias_BothFormsReadAndAnUnknownTargetWarned()
    {
        var result = Load(Models + """
            router_settings:
              model_group_alias: {"gpt-4": "gpt-4o", "mini": {"model": "gpt-4o-mini", "hidden": true}, "typo": "gpt4o"}
            """);

        Assert.Equal(
            new Dictionary<string, string> { ["gpt-4"] = "gpt-4o", ["mini"] = "gpt-4o-mini", ["typo"] = "gpt4o" },
            result.Config!.Router.ModelGroupAlias);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("model_group_alias 'typo' names model group 'gpt4o', which is not a model_name in model_list; calls for 'typo' find no model", warning.Message);
    }

    [Fact]
    public void LoadText_DuplicateFallbackSource_WarnsAndKeepsTheFirst()
    {
        var result = Load(Models + "router_settings:\n  fallbacks: [{\"gpt-4o\": [\"gpt-4o-mini\"]}, {\"gpt-4o\": [\"gpt-4o\"]}]\n");

        Assert.Contains(result.Warnings, w => w.Message.Contains("has fallbacks listed already", StringComparison.Ordinal));
        Assert.Equal(["gpt-4o-mini"], result.Config!.Router.Fallbacks["gpt-4o"]);
    }

    [Theory]
    [InlineData("num_retries: -1", "router_settings.num_retries", "must be an integer >= 0")]
    [InlineData("num_retries: two", "router_settings.num_retries", "must be an integer >= 0")]
    [InlineData("allowed_fails: 1.5", "router_settings.allowed_fails", "must be an integer >= 0")]
    [InlineData("max_fallbacks: -2", "router_settings.max_fallbacks", "must be an integer >= 0")]
    [InlineData("cooldown_time: -1", "router_settings.cooldown_time", "must be a number of seconds >= 0 and at most 86400")]
    [InlineData("retry_after: soon", "router_settings.retry_after", "must be a number of seconds >= 0")]
    [InlineData("disable_cooldowns: maybe", "router_settings.disable_cooldowns", "must be true or false")]
    [InlineData("fallbacks: gpt-4o", "router_settings.fallbacks", "must be a list of mappings from a model group to the groups to try, e.g. [{\"gpt-4o\": [\"gpt-4o-mini\"]}]")]
    [InlineData("fallbacks: [gpt-4o]", "router_settings.fallbacks[0]", "expected a mapping from a model group to the groups to try")]
    [InlineData("fallbacks: [{gpt-4o: [[x]]}]", "router_settings.fallbacks[0].gpt-4o[0]", "must be a model group name")]
    [InlineData("default_fallbacks: {a: b}", "router_settings.default_fallbacks", "expected a list of model group names")]
    public void LoadText_InvalidRouterValue_IsAnErrorNamingTheKey(string line, string path, string message)
    {
        var result = Load(Models + "router_settings:\n  " + line + "\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void LoadText_DeploymentNumRetries_MustBeAnInteger()
    {
        var result = Load(Models.Replace("num_retries: 4", "num_retries: -4", StringComparison.Ordinal));

        Assert.Equal("model_list[0].litellm_params.num_retries", Assert.Single(result.Errors).Path);
    }

    // A master key at the end keeps the warnings to the ones under test and the lines above unchanged.
    private static ConfigLoadResult Load(string yaml) => ConfigLoader.LoadText(yaml + "\ngeneral_settings:\n  master_key: sk-1\n", "config.yaml", _ => null);
}
