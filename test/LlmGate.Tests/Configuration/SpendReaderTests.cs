using LlmGate.Configuration;

namespace LlmGate.Tests.Configuration;

public sealed class SpendReaderTests
{
    [Fact]
    public void NoSettings_SqliteWithHalfSecondWrites()
    {
        var spend = Load("model_list: []\n").Config!.Spend;

        Assert.Null(spend.DatabaseUrl);
        Assert.False(spend.DisableSpendLogs);
        Assert.Null(spend.SpendLogsRetention);
        Assert.Equal(TimeSpan.FromMilliseconds(500), spend.BatchWriteInterval);
    }

    [Fact]
    public void GeneralSettings_AreRead()
    {
        var spend = Load("""
            general_settings:
              database_url: postgresql://u:p@127.0.0.1:5432/litellm
              database_connection_pool_limit: 20
              disable_spend_logs: "True"
              maximum_spend_logs_retention_period: 90d
              proxy_batch_write_at: 60
            """).Config!.Spend;

        Assert.Equal("postgresql://u:p@127.0.0.1:5432/litellm", spend.DatabaseUrl);
        Assert.Equal(20, spend.ConnectionPoolLimit);
        Assert.True(spend.DisableSpendLogs);
        Assert.Equal("90d", spend.SpendLogsRetention.ToString());
        Assert.Equal(TimeSpan.FromSeconds(60), spend.BatchWriteInterval);
    }

    [Fact]
    public void DatabaseUrlVariable_IsUsedWhenTheConfigNamesNone()
    {
        var spend = Load("model_list: []\n", ("DATABASE_URL", "postgresql://env/db")).Config!.Spend;

        Assert.Equal("postgresql://env/db", spend.DatabaseUrl);
    }

    [Fact]
    public void DatabaseUrlNamingAnUnsetVariable_StopsTheStart()
    {
        var result = Load("general_settings:\n  database_url: os.environ/DATABASE_URL\n");

        Assert.True(result.HasErrors);
        Assert.Contains(result.MissingVariables, m => m is { Name: "DATABASE_URL", Path: "general_settings.database_url" });
    }

    [Fact]
    public void RetentionThatIsNotADuration_IsAnErrorWithItsLine()
    {
        var result = Load("general_settings:\n  maximum_spend_logs_retention_period: forever\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("general_settings.maximum_spend_logs_retention_period", 2), (error.Path, error.Line));
    }

    private static ConfigLoadResult Load(string yaml, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return ConfigLoader.LoadText(yaml, "config.yaml", name => environment.GetValueOrDefault(name));
    }
}
