namespace LlmGate.Keys;

/// <summary>
/// A LiteLLM virtual key (<c>LiteLLM_VerificationToken</c>). The key itself is never stored: <see cref="Token"/> is
/// the SHA-256 hex of it, as LiteLLM stores it, so LiteLLM's rows can be imported as they are.
/// </summary>
internal sealed record VirtualKey
{
    /// <summary>SHA-256 hex (lower case) of the <c>sk-...</c> key; the primary key.</summary>
    public required string Token { get; init; }

    /// <summary><c>key_name</c>: the abbreviated form shown in lists (<c>sk-...abcd</c>).</summary>
    public required string KeyName { get; init; }

    public string? KeyAlias { get; init; }

    /// <summary>Model names, wildcards (<c>openai/*</c>) or <c>all-team-models</c>; empty means every model.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>USD spent in the current budget period, as last written to the store.</summary>
    public double Spend { get; init; }

    public EntityLimits Limits { get; init; } = EntityLimits.None;

    /// <summary>Expiry, from <c>duration</c> at creation; null never expires.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary><c>metadata</c> as a JSON object's text; <c>{}</c> when none.</summary>
    public string Metadata { get; init; } = "{}";

    public string? TeamId { get; init; }

    public string? UserId { get; init; }

    public bool Blocked { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who made it: the master key is recorded as LiteLLM's <c>default_user_id</c>.</summary>
    public string? CreatedBy { get; init; }
}
