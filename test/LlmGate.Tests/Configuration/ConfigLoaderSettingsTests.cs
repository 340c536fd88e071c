using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class ConfigLoaderSettingsTests
{
    [Fact]
    public void LoadText_NoSettings_UsesDefaults()
    {
        var config = Load("model_list: []\n").Config!;

        Assert.Equal(TimeSpan.FromSeconds(600), config.RequestTimeout);
        Assert.Null(config.StreamTimeout);
        Assert.Equal(32L * 1024 * 1024, config.MaxRequestBodyBytes);
        Assert.Null(config.Alerting);
        Assert.Null(config.MasterKey);
    }

    [Fact]
    public void LoadText_LitellmSettingsTimeouts_AreRead()
    {
        var config = Load("litellm_settings:\n  request_timeout: \"120\"\n  stream_timeout: 0.5\n").Config!;

        Assert.Equal(TimeSpan.FromSeconds(120), config.RequestTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.StreamTimeout);
    }

    [Fact]
    public void LoadText_RouterSettingsTimeouts_OverrideLitellmSettings()
    {
        var config = Load("""
            litellm_settings: {request_timeout: 120, stream_timeout: 10}
            router_settings: {timeout: 30, stream_timeout: 5}
            """).Config!;

        Assert.Equal(TimeSpan.FromSeconds(30), config.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), config.StreamTimeout);
    }

    [Theory]
    [InlineData("1", 1024 * 1024)]
    [InlineData("0.5", 512 * 1024)]
    [InlineData("\"100\"", 100L * 1024 * 1024)]
    public void LoadText_MaxRequestSizeMb_SetsBodyLimit(string text, long bytes) =>
        Assert.Equal(bytes, Load($"general_settings:\n  max_request_size_mb: {text}\n").Config!.MaxRequestBodyBytes);

    [Theory]
    [InlineData("litellm_settings:\n  request_timeout: 0\n", "litellm_settings.request_timeout")]
    [InlineData("litellm_settings:\n  stream_timeout: never\n", "litellm_settings.stream_timeout")]
    [InlineData("router_settings:\n  timeout: -5\n", "router_settings.timeout")]
    [InlineData("router_settings:\n  stream_timeout: [1]\n", "router_settings.stream_timeout")]
    [InlineData("general_settings:\n  max_request_size_mb: 0\n", "general_settings.max_request_size_mb")]
    [InlineData("general_settings:\n  max_request_size_mb: big\n", "general_settings.max_request_size_mb")]
    [InlineData("general_settings:\n  master_key: {a: b}\n", "general_settings.master_key")]
    [InlineData("litellm_settings: [1, 2]\n", "litellm_settings")]
    [InlineData("router_settings: text\n", "router_settings")]
    [InlineData("general_settings: [x]\n", "general_settings")]
    [InlineData("environment_variables: [x]\n", "environment_variables")]
    public void LoadText_InvalidSetting_ReportsErrorAtPathAndLine(string yaml, string path)
    {
        var result = Load(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(yaml.Count(c => c == '\n'), error.Line);
        Assert.Null(result.Config);
    }

    [Fact]
    public void LoadText_UnimplementedKeysEverywhere_ListedOnceInOneWarning()
    {
        var result = Load("""
            model_list: []
            litellm_settings:
              num_retries: 2
              callbacks: [prometheus]
              turn_off_message_logging: true
              drop_params: true
            router_settings:
              routing_strategy: simple-shuffle
              fallbacks: [{a: [b]}]
            general_settings:
              master_key: sk-1
              store_model_in_db: true
              alert_types: [llm_too_slow]
              alerting_threshold: 300
            guardrails: []
            mcp_servers: {}
            include: [other.yaml]
            """);

        Assert.False(result.HasErrors);
        var warning = Assert.Single(result.Warnings, w => w.Message.Contains("not implemented yet", StringComparison.Ordinal));
        Assert.Equal(("", 0), (warning.Path, warning.Line));
        Assert.Equal(
            "not implemented yet, ignored: litellm_settings.turn_off_message_logging (line 5), general_settings.store_model_in_db (line 12), "
            + "guardrails (line 15), mcp_servers (line 16), include (line 17)",
            warning.Message);
        Assert.Equal("warning: " + warning.Message, warning.ToString());
        Assert.Contains(result.Warnings, w => w.Path == "general_settings.alert_types" && w.Message.Contains("lists no channel", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_MasterKeyUnderLitellmSettings_WarnsWhereItBelongsAndIgnoresIt()
    {
        var result = Load("model_list: []\nlitellm_settings:\n  master_key: sk-misplaced\n");

        Assert.False(result.HasErrors);
        Assert.Null(result.Config!.MasterKey);
        var warning = Assert.Single(result.Warnings, w => w.Path == "litellm_settings.master_key");
        Assert.Equal(3, warning.Line);
        Assert.Contains("general_settings.master_key", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-misplaced", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("general_settings:\n  request_timeout: 30\n", "general_settings.request_timeout", "litellm_settings.request_timeout")]
    [InlineData("litellm_settings:\n  alerting: [pagerduty]\n", "litellm_settings.alerting", "general_settings.alerting")]
    [InlineData("general_settings:\n  timeout: 30\n", "general_settings.timeout", "router_settings.timeout")]
    [InlineData("master_key: sk-1\n", "master_key", "general_settings.master_key")]
    public void LoadText_MisplacedSetting_WarnsWhereItBelongs(string yaml, string path, string home)
    {
        var result = Load(yaml);

        Assert.False(result.HasErrors);
        Assert.Contains(result.Warnings, w => w.Path == path && w.Message.Contains(home, StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(600), result.Config!.RequestTimeout);
    }

    [Fact]
    public void LoadText_NullSections_AreEmpty()
    {
        var result = Load("model_list:\nlitellm_settings:\nrouter_settings:\ngeneral_settings:\n");

        Assert.False(result.HasErrors);
        Assert.NotNull(result.Config);
    }

    private static ConfigLoadResult Load(string yaml) => ConfigLoader.LoadText(yaml, "test.yaml", TestEnvironment.Empty);
}
