using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderYamlTests
{
    [Fact]
    public void LoadText_SyntaxError_ReportsErrorWithLine()
    {
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params:
                  model: b: c
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Config);
    }

    [Fact]
    public void LoadText_TabInIndentation_ReportedAtItsLineWithoutAnEmptyPath()
    {
        var result = Load("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n\tfoo: 1\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.StartsWith("error: line 4: test.yaml is not valid YAML: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_UnclosedFlowList_ReportsErrorNearLine()
    {
        var result = Load("general_settings:\n  alerting: [\"pagerduty\"\n  master_key: x\n");

        var error = Assert.Single(result.Errors);
        Assert.True(error.Line >= 2, error.ToString());
        Assert.Null(result.Config);
    }

    [Theory]
    [InlineData("- a\n- b\n")]
    [InlineData("just text\n")]
    public void LoadText_RootNotMapping_ReportsError(string yaml)
    {
        var result = Load(yaml);

        Assert.Contains("must be a mapping", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void LoadText_EmptyFile_ReportsError(string yaml) =>
        Assert.Contains("is empty", Assert.Single(Load(yaml).Errors).Message, StringComparison.Ordinal);

    [Fact]
    public void LoadText_SeveralDocuments_ReportsError() =>
        Assert.Single(Load("model_list: []\n---\nmodel_list: []\n").Errors);

    [Fact]
    public void LoadText_DuplicateKey_ReportsErrorWithLine()
    {
        var result = Load("""
            general_settings:
              master_key: sk-1
              master_key: sk-2
            """);

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.DoesNotContain("sk-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_MergeKeyWithOverride_ExplicitKeysWin()
    {
        var result = Load("""
            x-defaults: &defaults
              api_base: http://vllm:8000/v1
              timeout: 30
              model: openai/base
            model_list:
              - model_name: a
                litellm_params:
                  <<: *defaults
                  model: openai/a
                  timeout: 5
              - model_name: b
                litellm_params: *defaults
            """);

        var deployments = result.Config!.Deployments;
        Assert.Equal("openai/a", deployments[0].Model);
        Assert.Equal(TimeSpan.FromSeconds(5), deployments[0].Timeout);
        Assert.Equal("http://vllm:8000/v1", deployments[0].ApiBase);
        Assert.Equal("openai/base", deployments[1].Model);
        Assert.Equal(TimeSpan.FromSeconds(30), deployments[1].Timeout);
    }

    [Fact]
    public void LoadText_MergeKeyList_EarlierSourceWins()
    {
        var result = Load("""
            first: &first {model: openai/first, timeout: 1}
            second: &second {model: openai/second, timeout: 2, api_base: "http://h:1"}
            model_list:
              - model_name: a
                litellm_params:
                  <<: [*first, *second]
            """);

        var deployment = Assert.Single(result.Config!.Deployments);
        Assert.Equal("openai/first", deployment.Model);
        Assert.Equal(TimeSpan.FromSeconds(1), deployment.Timeout);
        Assert.Equal("http://h:1", deployment.ApiBase);
    }

    [Fact]
    public void LoadText_MergeKeyOnScalar_ReportsError()
    {
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params:
                  <<: nothing
                  model: openai/a
            """);

        Assert.Equal(4, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void LoadText_UnknownAlias_ReportsErrorWithLine() =>
        Assert.Equal(2, Assert.Single(Load("model_list:\n  - *nope\n").Errors).Line);

    [Fact]
    public void LoadText_ErrorsInSeveralPlaces_ReportsEveryOneWithPathAndLine()
    {
        var result = Load("""
            model_list:
              - model_name: a
                litellm_params:
                  model: openai/a
                  timeout: soon
              - model_name: b
                litellm_params:
                  model: openai/b
                  api_base: not-a-url
            litellm_settings:
              request_timeout: [1]
            general_settings:
              max_request_size_mb: -1
            """);

        Assert.Equal(
            [
                ("model_list[0].litellm_params.timeout", 5),
                ("model_list[1].litellm_params.api_base", 9),
                ("litellm_settings.request_timeout", 11),
                ("general_settings.max_request_size_mb", 13),
            ],
            result.Errors.Select(e => (e.Path, e.Line)));
        Assert.Null(result.Config);
    }

    [Fact]
    public void Load_MissingFile_ReportsError()
    {
        var result = ConfigLoader.Load(Path.Combine(Path.GetTempPath(), $"llmgate-{Guid.NewGuid():N}.yaml"), TestEnvironment.Empty);

        Assert.Contains("cannot read", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFileWithOrigin_NamesTheFullPathAndHowItWasWritten()
    {
        var path = Path.Combine(Path.GetTempPath(), $"llmgate-{Guid.NewGuid():N}", "config.yaml");

        var result = ConfigLoader.Load(path, TestEnvironment.Empty, "config.yaml relative to /somewhere");

        Assert.StartsWith($"cannot read config file {path} (config.yaml relative to /somewhere): ", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_File_ReadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"llmgate-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n");
        try
        {
            Assert.Equal("a", Assert.Single(ConfigLoader.Load(path, TestEnvironment.Empty).Config!.Deployments).ModelName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ConfigLoadResult Load(string yaml) => ConfigLoader.LoadText(yaml, "test.yaml", TestEnvironment.Empty);
}
