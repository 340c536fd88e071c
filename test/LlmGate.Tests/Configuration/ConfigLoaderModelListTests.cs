using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderModelListTests
{
    [Fact]
    public void LoadText_FullDeployment_ReadsEveryField()
    {
        var result = Load("""
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o
                  api_key: sk-literal
                  api_base: https://example.openai.azure.com/
                  api_version: "2024-10-21"
                  timeout: 12.5
                  stream_timeout: "3"
                  max_retries: 0
                  weight: 2.5
                  rpm: 100
                  tpm: 20000
                  mock_response: hello
                model_info:
                  id: deployment-1
                  mode: chat
            """);

        var d = Assert.Single(result.Config!.Deployments);
        Assert.Equal(("gpt-4o", "azure/gpt-4o", "deployment-1", "sk-literal"), (d.ModelName, d.Model, d.Id, d.ApiKey));
        Assert.Equal("https://example.openai.azure.com/", d.ApiBase);
        Assert.Equal("2024-10-21", d.ProviderParams["api_version"]);
        Assert.Equal(TimeSpan.FromSeconds(12.5), d.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(3), d.StreamTimeout);
        Assert.Equal(0, d.MaxRetries);
        Assert.Equal(2.5, d.Weight);
        Assert.Equal((100, 20000), (d.Rpm!.Value, d.Tpm!.Value));
        Assert.Equal("hello", d.MockResponse);
        Assert.Equal(2, d.Line);
        Assert.Null(d.MissingApiKeyVariable);
    }

    [Fact]
    public void LoadText_MinimalDeployment_UsesDefaults()
    {
        var d = Assert.Single(Load(Minimal).Config!.Deployments);

        Assert.Equal(1, d.Weight);
        Assert.Null(d.ApiKey);
        Assert.Null(d.ApiBase);
        Assert.Null(d.Timeout);
        Assert.Null(d.MaxRetries);
        Assert.Null(d.Rpm);
    }

    [Fact]
    public void LoadText_RpmTpmBesideLitellmParams_AcceptedAndPreferred()
    {
        var d = Assert.Single(Load("""
            model_list:
              - model_name: a
                rpm: 10
                tpm: 1000
                litellm_params:
                  model: openai/a
                  rpm: 99
            """).Config!.Deployments);

        Assert.Equal((10, 1000), (d.Rpm!.Value, d.Tpm!.Value));
    }

    [Fact]
    public void LoadText_MissingModelName_ReportsError()
    {
        var result = Load("model_list:\n  - litellm_params:\n      model: openai/a\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("model_list[0].model_name", 2), (error.Path, error.Line));
        Assert.Null(result.Config);
    }

    [Fact]
    public void LoadText_MissingModel_ReportsError()
    {
        var error = Assert.Single(Load("model_list:\n  - model_name: a\n    litellm_params:\n      api_key: k\n").Errors);

        Assert.Equal(("model_list[0].litellm_params.model", 3), (error.Path, error.Line));
    }

    [Fact]
    public void LoadText_MissingLitellmParams_ReportsError() =>
        Assert.Equal("model_list[0].litellm_params.model", Assert.Single(Load("model_list:\n  - model_name: a\n").Errors).Path);

    [Theory]
    [InlineData("model_list: {a: 1}", "model_list")]
    [InlineData("model_list: [3]", "model_list[0]")]
    [InlineData("model_list:\n  -\n", "model_list[0]")]
    [InlineData("model_list: [{model_name: a, litellm_params: [x]}]", "model_list[0].litellm_params")]
    [InlineData("model_list: [{model_name: [a], litellm_params: {model: openai/a}}]", "model_list[0].model_name")]
    [InlineData("model_list: [{model_name: '', litellm_params: {model: openai/a}}]", "model_list[0].model_name")]
    [InlineData("model_list: [{model_name: a, litellm_params: {model: openai/a}, model_info: [1]}]", "model_list[0].model_info")]
    [InlineData("model_list: [{model_name: a, litellm_params: {model: openai/a}, model_info: {id: ''}}]", "model_list[0].model_info.id")]
    public void LoadText_WrongShape_ReportsErrorAtPath(string yaml, string path) =>
        Assert.Equal(path, Assert.Single(Load(yaml).Errors).Path);

    [Theory]
    [InlineData("api_base: not-a-url")]
    [InlineData("api_base: ftp://host/v1")]
    [InlineData("api_base: /v1")]
    [InlineData("timeout: soon")]
    [InlineData("timeout: 0")]
    [InlineData("timeout: -1")]
    [InlineData("stream_timeout: {a: 1}")]
    [InlineData("max_retries: -1")]
    [InlineData("max_retries: 1.5")]
    [InlineData("weight: 0")]
    [InlineData("weight: heavy")]
    [InlineData("rpm: 1.5")]
    [InlineData("tpm: 99999999999")]
    [InlineData("mock_response: [a]")]
    public void LoadText_InvalidParam_ReportsErrorAtPathAndLine(string param)
    {
        var result = Load($"model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/a\n      {param}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal($"model_list[0].litellm_params.{param[..param.IndexOf(':', StringComparison.Ordinal)]}", error.Path);
        Assert.Equal(5, error.Line);
        Assert.Null(result.Config);
    }

    [Theory]
    [InlineData("\"600\"", 600)]
    [InlineData("'0.5'", 0.5)]
    [InlineData("1e1", 10)]
    [InlineData("30", 30)]
    public void LoadText_NumberAsQuotedOrFloat_IsAccepted(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.Single(Load($"model_list:\n  - model_name: a\n    litellm_params: {{model: openai/a, timeout: {text}}}\n").Config!.Deployments).Timeout);

    [Fact]
    public void LoadText_DuplicateExplicitIds_ReportsError()
    {
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
                model_info: {id: same}
              - model_name: b
                litellm_params: {model: openai/b}
                model_info: {id: same}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("model_list[1].model_info.id", 7), (error.Path, error.Line));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_NoExplicitId_DerivesStableUniqueIds()
    {
        const string Yaml = """
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, api_key: k1}
              - model_name: a
                litellm_params: {model: openai/a, api_key: k2}
              - model_name: b
                litellm_params: {model: openai/a}
            """;

        var first = Load(Yaml).Config!.Deployments.Select(d => d.Id).ToList();
        var second = Load(Yaml).Config!.Deployments.Select(d => d.Id).ToList();

        Assert.Equal(first, second);
        Assert.Equal(3, first.Distinct().Count());
        Assert.All(first, id => Assert.Matches("^[0-9a-f]{16}$", id));
    }

    [Fact]
    public void LoadText_DerivedId_DoesNotDependOnOrderOrKey()
    {
        var alone = Load("model_list:\n  - model_name: b\n    litellm_params: {model: openai/b, api_key: one}\n").Config!.Deployments[0].Id;
        var after = Load("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n  - model_name: b\n    litellm_params: {model: openai/b, api_key: two}\n").Config!.Deployments[1].Id;

        Assert.Equal(alone, after);
    }

    [Theory]
    [InlineData("model_list: []\n")]
    [InlineData("model_list:\n")]
    [InlineData("general_settings: {master_key: sk-1}\n")]
    public void LoadText_NoModels_WarnsButLoads(string yaml)
    {
        var result = Load(yaml);

        Assert.False(result.HasErrors);
        Assert.Empty(result.Config!.Deployments);
        Assert.Contains(result.Warnings, w => w.Path == "model_list" && w.Message.Contains("no models", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_UnimplementedParams_ListedOnceInOneWarning()
    {
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params:
                  model: vertex_ai/gemini
                  vertex_project: p
                  vertex_location: us-east5
                  temperature: 0.2
                  input_cost_per_token: 0.1
                model_info: {mode: chat, base_model: x}
              - model_name: b
                litellm_params:
                  model: openai/b
                  temperature: 0.5
                  extra_headers: {x: y}
                priority: 1
            """);

        var warning = Assert.Single(result.Warnings, w => w.Message.StartsWith("not implemented", StringComparison.Ordinal));
        Assert.Equal(
            "not implemented yet, ignored: model_list[*].litellm_params.extra_headers (line 14), model_list[*].priority (line 15)",
            warning.Message);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void LoadText_OpenAiParamsInLitellmParams_BecomeRequestDefaultsAsJson()
    {
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  temperature: 0.2
                  max_tokens: 256
                  stop: ["END", "STOP"]
                  reasoning_effort: low
                  seed: "42"
                  extra_body: {top_k: 5, enable_thinking: false}
                  drop_params: true
                  additional_drop_params: ["logit_bias"]
            """);

        Assert.False(result.HasErrors);
        Assert.DoesNotContain(result.Warnings, w => w.Message.StartsWith("not implemented", StringComparison.Ordinal));
        var deployment = Assert.Single(result.Config!.Deployments);
        Assert.Equal(
            ["\"temperature\":0.2", "\"max_tokens\":256", "\"stop\":[\"END\",\"STOP\"]", "\"reasoning_effort\":\"low\"", "\"seed\":\"42\"", "\"top_k\":5", "\"enable_thinking\":false"],
            deployment.RequestDefaults.Select(d => System.Text.Encoding.UTF8.GetString(d.Property)));
        Assert.True(deployment.DropParams);
        Assert.Equal(["logit_bias"], deployment.AdditionalDropParams);
    }

    [Theory]
    [InlineData("litellm_settings:\n  drop_params: true\n", null, true)]
    [InlineData("", "True", true)]
    [InlineData("litellm_settings:\n  drop_params: false\n", "true", false)]
    [InlineData("", null, false)]
    public void LoadText_DropParams_FromLitellmSettingsElseEnvironment(string settings, string? variable, bool expected)
    {
        var result = ConfigLoader.LoadText(Minimal + settings, "config.yaml", name => name == "LITELLM_DROP_PARAMS" ? variable : null);

        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Config!.DropParams);
    }

    private const string Minimal = "model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/a\n";

    private static ConfigLoadResult Load(string yaml) => ConfigLoader.LoadText(yaml, "test.yaml", TestEnvironment.Empty);
}
