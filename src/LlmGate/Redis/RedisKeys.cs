namespace LlmGate.Redis;

/// <summary>
/// Every key LlmGate writes, under one prefix. One Redis database serves one cluster of gateways sharing a config;
/// give another cluster another database (<c>redis://host:port/N</c>).
/// </summary>
internal static class RedisKeys
{
    public const string Prefix = "llmgate:";

    /// <summary>Sorted set: replica id, scored by its last heartbeat (Unix milliseconds).</summary>
    public const string Replicas = Prefix + "replicas";

    /// <summary>Hash: dedup_key → "kind|opened_at_ticks|scope" for every open incident. HSETNX opens, HDEL resolves.</summary>
    public const string Incidents = Prefix + "incidents";

    /// <summary>Hash: dedup_key → ticks when the open incident's count first dropped below its threshold.</summary>
    public const string IncidentsQuiet = Prefix + "incidents:quiet";

    /// <summary>Sorted set: deployment id, scored by the end of its cooldown (Unix milliseconds); ZADD GT keeps the latest.</summary>
    public const string Cooldowns = Prefix + "cooldowns";

    /// <summary>Hash: "bucket␟model group␟deployment␟status" → count, for one alert class and scope.</summary>
    public static string Window(string alertClass, string scope) => $"{Prefix}window:{alertClass}:{scope}";

    /// <summary>List: the most recent observations (JSON), newest first, capped.</summary>
    public static string Recent(string alertClass, string scope) => $"{Prefix}recent:{alertClass}:{scope}";
}
