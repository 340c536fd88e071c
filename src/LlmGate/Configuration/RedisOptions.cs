namespace LlmGate.Configuration;

/// <summary>
/// Where the replicas share state: LiteLLM's <c>router_settings.redis_*</c>, <c>litellm_settings.cache_params</c> or
/// env <c>REDIS_*</c>. Null in <see cref="GatewayConfig"/> means everything stays in this process.
/// </summary>
internal sealed record RedisOptions
{
    public const int DefaultPort = 6379;

    public required string Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    public string? User { get; init; }

    /// <summary>Never logged, never shown: <see cref="ToString"/> leaves it out.</summary>
    public string? Password { get; init; }

    /// <summary><c>rediss://</c>: TLS to the server.</summary>
    public bool UseTls { get; init; }

    public int Database { get; init; }

    /// <summary>
    /// How long one command may take before this replica treats Redis as gone and decides locally. Short, so a stalled
    /// Redis never stalls requests; not a LiteLLM setting (tests that assert shared decisions lengthen it).
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>host:port</c>, for logs and the status page.</summary>
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public override string ToString() => $"{(UseTls ? "rediss" : "redis")}://{Endpoint}/{Database}";
}
