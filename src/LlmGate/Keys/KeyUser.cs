namespace LlmGate.Keys;

/// <summary>A LiteLLM internal user (<c>LiteLLM_UserTable</c>): a personal budget for the keys that have no team.</summary>
internal sealed record KeyUser
{
    public required string UserId { get; init; }

    public string? UserAlias { get; init; }

    public string? UserEmail { get; init; }

    /// <summary><c>user_role</c>: <c>proxy_admin</c>, <c>internal_user</c>...; <c>internal_user</c> by default.</summary>
    public string UserRole { get; init; } = "internal_user";

    public IReadOnlyList<string> Models { get; init; } = [];

    public double Spend { get; init; }

    public EntityLimits Limits { get; init; } = EntityLimits.None;

    public string Metadata { get; init; } = "{}";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
