using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderEnvironmentTests
{
    private const string EnvDeployment = """
        model_list:
          - model_name: os.environ/NAME
            litellm_params:
              model: os.environ/MODEL
              api_key: os.environ/KEY
              api_base: os.environ/BASE
              api_version: os.environ/VERSION
              timeout: os.environ/TIMEOUT
            model_info:
              id: os.environ/ID
        """;

    [Fact]
    public void LoadText_EnvironmentReferences_AreResolvedEverywhere()
    {
        var result = Load(EnvDeployment, ("NAME", "gpt-4o"), ("MODEL", "openai/gpt-4o"), ("KEY", "sk-env"), ("BASE", "http://vllm:8000/v1"), ("VERSION", "v1"), ("TIMEOUT", "7"), ("ID", "dep-1"), ("LITELLM_MASTER_KEY", "sk-master"));

        var d = Assert.Single(result.Config!.Deployments);
        Assert.Equal(("gpt-4o", "openai/gpt-4o", "sk-env", "http://vllm:8000/v1", "v1", "dep-1"), (d.ModelName, d.Model, d.ApiKey, d.ApiBase, d.ProviderParams["api_version"], d.Id));
        Assert.Equal(TimeSpan.FromSeconds(7), d.Timeout);
        Assert.Empty(result.MissingVariables);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void LoadText_MissingApiKeyVariable_WarnsNamingDeploymentAndKeepsIt()
    {
        var result = Load(Deployment("api_key: os.environ/OPENAI_API_KEY"));

        var d = Assert.Single(result.Config!.Deployments);
        Assert.Equal("OPENAI_API_KEY", d.MissingApiKeyVariable);
        Assert.Null(d.ApiKey);
        var warning = Assert.Single(result.Warnings, w => w.Path == "model_list[0].litellm_params.api_key");
        Assert.Equal(5, warning.Line);
        Assert.Contains("OPENAI_API_KEY", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'gpt-4o'", warning.Message, StringComparison.Ordinal);
        Assert.Contains(d.Id, warning.Message, StringComparison.Ordinal);
        Assert.Equal(new MissingVariable("OPENAI_API_KEY", "model_list[0].litellm_params.api_key", 5, ConfigSeverity.Warning), Assert.Single(result.MissingVariables));
    }

    [Theory]
    [InlineData(false, "environment variable OPENAI_API_KEY is not set: ")]
    [InlineData(true, "environment variable OPENAI_API_KEY is set but empty: ")]
    public void LoadText_UnsetOrEmptyVariable_TheWarningSaysWhich(bool empty, string start)
    {
        var result = empty ? Load(Deployment("api_key: os.environ/OPENAI_API_KEY"), ("OPENAI_API_KEY", "")) : Load(Deployment("api_key: os.environ/OPENAI_API_KEY"));

        Assert.StartsWith(start, Assert.Single(result.Warnings, w => w.Path == "model_list[0].litellm_params.api_key").Message, StringComparison.Ordinal);
        Assert.Null(result.Config!.Deployments[0].ApiKey);
    }

    [Theory]
    [InlineData("model: os.environ/MODEL", "model_list[0].litellm_params.model")]
    [InlineData("model: openai/gpt-4o, api_base: os.environ/BASE", "model_list[0].litellm_params.api_base")]
    public void LoadText_MissingRoutingVariable_WarnsAndSkipsDeployment(string litellmParams, string path)
    {
        var result = Load($"model_list:\n  - model_name: gpt-4o\n    litellm_params: {{{litellmParams}}}\n  - model_name: other\n    litellm_params: {{model: openai/other}}\n");

        Assert.False(result.HasErrors);
        Assert.Equal("other", Assert.Single(result.Config!.Deployments).ModelName);
        var warning = Assert.Single(result.Warnings, w => w.Path == path);
        Assert.Contains("skipped", warning.Message, StringComparison.Ordinal);
        Assert.Equal(path, Assert.Single(result.MissingVariables).Path);
    }

    [Fact]
    public void LoadText_EveryVariableMissing_ReportsEachOne()
    {
        var result = Load(EnvDeployment);

        Assert.False(result.HasErrors);
        Assert.Empty(result.Config!.Deployments);
        Assert.Equal(["BASE", "ID", "KEY", "MODEL", "NAME", "TIMEOUT", "VERSION"], result.MissingVariables.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(result.MissingVariables, m => Assert.Equal(ConfigSeverity.Warning, m.Severity));
    }

    [Fact]
    public void LoadText_EmptyVariable_CountsAsMissing() =>
        Assert.Equal("KEY", Load(Deployment("api_key: os.environ/KEY"), ("KEY", "")).Config!.Deployments[0].MissingApiKeyVariable);

    [Fact]
    public void LoadText_MissingMasterKeyVariable_ReportsError()
    {
        var result = Load("general_settings:\n  master_key: os.environ/MY_MASTER_KEY\n", ("LITELLM_MASTER_KEY", "sk-fallback"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("general_settings.master_key", 2), (error.Path, error.Line));
        Assert.Contains("MY_MASTER_KEY", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Config);
        Assert.Equal(ConfigSeverity.Error, Assert.Single(result.MissingVariables).Severity);
    }

    [Fact]
    public void LoadText_MasterKeyVariable_IsResolved() =>
        Assert.Equal("sk-from-env", Load("general_settings:\n  master_key: os.environ/MY_MASTER_KEY\n", ("MY_MASTER_KEY", "sk-from-env")).Config!.MasterKey);

    [Fact]
    public void LoadText_NoMasterKeyInConfig_UsesLitellmMasterKeyVariable() =>
        Assert.Equal("sk-env", Load("general_settings: {}\n", ("LITELLM_MASTER_KEY", "sk-env")).Config!.MasterKey);

    [Fact]
    public void LoadText_MasterKeyInConfig_WinsOverLitellmMasterKeyVariable() =>
        Assert.Equal("sk-config", Load("general_settings: {master_key: sk-config}\n", ("LITELLM_MASTER_KEY", "sk-env")).Config!.MasterKey);

    [Fact]
    public void LoadText_NoMasterKeyAnywhere_WarnsOpenGateway()
    {
        var result = Load("model_list: []\n");

        Assert.Null(result.Config!.MasterKey);
        Assert.Contains(result.Warnings, w => w.Path == "general_settings.master_key" && w.Message.Contains("without authentication", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_EnvironmentVariablesSection_FeedsReferences()
    {
        var result = Load("""
            environment_variables:
              UPSTREAM: http://from-config:9000/v1
              KEY: os.environ/REAL_KEY
            model_list:
              - model_name: a
                litellm_params: {model: openai/a, api_base: os.environ/UPSTREAM, api_key: os.environ/KEY}
            """, ("UPSTREAM", "http://from-process:1/v1"), ("REAL_KEY", "sk-real"));

        var d = Assert.Single(result.Config!.Deployments);
        Assert.Equal(("http://from-config:9000/v1", "sk-real"), (d.ApiBase, d.ApiKey));
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("environment_variables", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_VariablesUnderIgnoredKeys_AreNotReported()
    {
        var result = Load("""
            model_list: []
            litellm_settings:
              s3_callback_params: {s3_bucket_name: os.environ/S3_BUCKET}
            general_settings:
              master_key: sk-1
              slack_webhook_url: os.environ/SLACK_WEBHOOK_URL
            """);

        Assert.Empty(result.MissingVariables);
    }

    [Fact]
    public void LoadText_EnvironmentPrefixWithoutName_ReportsError() =>
        Assert.Equal("model_list[0].litellm_params.api_key", Assert.Single(Load(Deployment("api_key: os.environ/")).Errors).Path);

    [Fact]
    public void LoadText_ShellStyleReference_WarnsThatItIsNotExpanded()
    {
        var result = Load("model_list:\n  - model_name: a\n    litellm_params:\n      model: \"openai/${VLLM_MODEL:-qwen}\"\n");

        Assert.False(result.HasErrors);
        Assert.Contains(result.Warnings, w => w.Path == "model_list[0].litellm_params.model" && w.Message.Contains("does not expand", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_InvalidValueFromVariable_ReportsErrorWithoutTheValue()
    {
        var result = Load(Deployment("timeout: os.environ/TIMEOUT"), ("TIMEOUT", "secret-looking-value"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("model_list[0].litellm_params.timeout", error.Path);
        Assert.DoesNotContain("secret-looking-value", error.Message, StringComparison.Ordinal);
    }

    private static string Deployment(string param) =>
        $"model_list:\n  - model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o\n      {param}\n";

    private static ConfigLoadResult Load(string yaml, params (string Name, string Value)[] variables) =>
        ConfigLoader.LoadText(yaml, "test.yaml", TestEnvironment.With(variables));
}
