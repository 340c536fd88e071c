namespace LlmGate.Configuration;

/// <summary>
/// Where virtual keys and spend are kept and how spend is written: <c>general_settings.database_url</c> (or env
/// <c>DATABASE_URL</c>) selects PostgreSQL, else SQLite under <c>--data-dir</c>.
/// </summary>
internal sealed record SpendOptions
{
    public static readonly SpendOptions Default = new();

    /// <summary>The PostgreSQL URL; holds a password, so it is never logged or shown. Null: the embedded SQLite store.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary><c>general_settings.database_connection_pool_limit</c>: connections per gateway (LiteLLM's default 10).</summary>
    public int? ConnectionPoolLimit { get; init; }

    /// <summary><c>general_settings.disable_spend_logs</c>: no per-request rows; key, team and user spend still count.</summary>
    public bool DisableSpendLogs { get; init; }

    /// <summary><c>general_settings.maximum_spend_logs_retention_period</c>: older spend-log rows are deleted.</summary>
    public BudgetDuration? SpendLogsRetention { get; init; }

    /// <summary>
    /// <c>general_settings.proxy_batch_write_at</c>: how often spend is written. LlmGate's default is 0.5 s, which keeps
    /// what a killed gateway can lose under a second (LiteLLM's is 10 s).
    /// </summary>
    public TimeSpan BatchWriteInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
