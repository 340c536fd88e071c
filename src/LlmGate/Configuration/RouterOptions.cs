namespace LlmGate.Configuration;

/// <summary>
/// Retries, fallbacks, cooldowns and the routing strategy, read from <c>router_settings</c> (which wins) and
/// <c>litellm_settings</c>. Defaults are LiteLLM's.
/// </summary>
internal sealed record RouterOptions
{
    // Declared before Default, which reads it while the type initialises.
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Empty = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public static readonly RouterOptions Default = new();

    /// <summary><c>num_retries</c>: retries within a model group after the first attempt.</summary>
    public int NumRetries { get; init; } = 2;

    /// <summary><c>retry_after</c>: the least wait before any retry.</summary>
    public TimeSpan MinRetryWait { get; init; } = TimeSpan.Zero;

    /// <summary><c>fallbacks</c>: model group → groups to try, in order, once its retries are spent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fallbacks { get; init; } = Empty;

    /// <summary><c>default_fallbacks</c>: for groups without an entry in <see cref="Fallbacks"/>.</summary>
    public IReadOnlyList<string> DefaultFallbacks { get; init; } = [];

    /// <summary><c>context_window_fallbacks</c>: used when the provider says the prompt is too long.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContextWindowFallbacks { get; init; } = Empty;

    /// <summary><c>content_policy_fallbacks</c>: used when the provider refuses the content.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContentPolicyFallbacks { get; init; } = Empty;

    /// <summary><c>max_fallbacks</c>: at most this many fallback groups per request.</summary>
    public int MaxFallbacks { get; init; } = 5;

    /// <summary><c>allowed_fails</c>: failures within a minute a deployment may have before it cools down.</summary>
    public int AllowedFails { get; init; } = 3;

    /// <summary><c>cooldown_time</c>: how long a deployment is skipped after too many failures.</summary>
    public TimeSpan CooldownTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>disable_cooldowns</c>.</summary>
    public bool DisableCooldowns { get; init; }

    public RoutingStrategyKind RoutingStrategy { get; init; } = RoutingStrategyKind.SimpleShuffle;

    /// <summary><c>model_group_alias</c>: a model name clients ask for, served by another model group.</summary>
    public IReadOnlyDictionary<string, string> ModelGroupAlias { get; init; } = new Dictionary<string, string>();
}
