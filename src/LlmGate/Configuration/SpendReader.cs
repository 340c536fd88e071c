namespace LlmGate.Configuration;

/// <summary>Reads the <c>general_settings</c> keys of the key and spend store into <see cref="SpendOptions"/>.</summary>
internal static class SpendReader
{
    private const string Section = "general_settings";

    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "database_url", "database_connection_pool_limit", "disable_spend_logs", "maximum_spend_logs_retention_period", "proxy_batch_write_at",
    };

    public static bool Reads(string key) => Keys.Contains(key);

    public static SpendOptions Read(ConfigReader reader, IReadOnlyList<ConfigEntry> entries)
    {
        var options = SpendOptions.Default;
        var databaseUrlConfigured = false;
        foreach (var (key, _, value) in entries)
        {
            var path = ConfigReader.Child(Section, key);
            switch (key)
            {
                case "database_url":
                    databaseUrlConfigured = !ConfigReader.IsNull(value);
                    options = options with
                    {
                        DatabaseUrl = reader.ReadString(value, path, ConfigSeverity.Error,
                            "the gateway will not start rather than keep keys and spend in a database other than the one named"),
                    };
                    break;
                case "database_connection_pool_limit":
                    options = options with { ConnectionPoolLimit = reader.ReadInt(value, path, 1) };
                    break;
                case "disable_spend_logs":
                    options = options with { DisableSpendLogs = reader.ReadBool(value, path) ?? false };
                    break;
                case "maximum_spend_logs_retention_period":
                    if (reader.ReadString(value, path) is { } text)
                    {
                        if (BudgetDuration.TryParse(text, out var retention))
                        {
                            options = options with { SpendLogsRetention = retention };
                        }
                        else
                        {
                            reader.Error(path, value, "must be a duration such as 30d, 12h or 1mo");
                        }
                    }

                    break;
                case "proxy_batch_write_at":
                    options = options with { BatchWriteInterval = reader.ReadSeconds(value, path) ?? options.BatchWriteInterval };
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(options.DatabaseUrl))
        {
            // LiteLLM's Prisma datasource reads DATABASE_URL; the config's setting wins.
            options = options with { DatabaseUrl = databaseUrlConfigured ? null : NonEmpty(reader.GetVariable("DATABASE_URL")) };
        }

        return options;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
