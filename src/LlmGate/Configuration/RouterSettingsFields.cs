namespace LlmGate.Configuration;

/// <summary>The router keys found in one section (<c>router_settings</c> or <c>litellm_settings</c>); null when absent.</summary>
internal sealed class RouterSettingsFields
{
    public int? NumRetries { get; set; }

    public TimeSpan? MinRetryWait { get; set; }

    public Dictionary<string, IReadOnlyList<string>>? Fallbacks { get; set; }

    public IReadOnlyList<string>? DefaultFallbacks { get; set; }

    public Dictionary<string, IReadOnlyList<string>>? ContextWindowFallbacks { get; set; }

    public Dictionary<string, IReadOnlyList<string>>? ContentPolicyFallbacks { get; set; }

    public int? MaxFallbacks { get; set; }

    public int? AllowedFails { get; set; }

    public TimeSpan? CooldownTime { get; set; }

    public bool? DisableCooldowns { get; set; }

    public RoutingStrategyKind? RoutingStrategy { get; set; }

    public Dictionary<string, string>? ModelGroupAlias { get; set; }

    /// <summary><c>litellm_settings.drop_params</c> (read with the router keys of that section).</summary>
    public bool? DropParams { get; set; }
}
