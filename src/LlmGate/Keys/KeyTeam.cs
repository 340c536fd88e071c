namespace LlmGate.Keys;

/// <summary>A LiteLLM team (<c>LiteLLM_TeamTable</c>): its keys share its models, budget and limits.</summary>
internal sealed record KeyTeam
{
    public required string TeamId { get; init; }

    public string? TeamAlias { get; init; }

    /// <summary>Model names or wildcards the team's keys may call; empty means every model.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    public double Spend { get; init; }

    public EntityLimits Limits { get; init; } = EntityLimits.None;

    /// <summary><c>metadata</c> as a JSON object's text.</summary>
    public string Metadata { get; init; } = "{}";

    /// <summary><c>members_with_roles</c> as a JSON array's text, kept as given.</summary>
    public string MembersWithRoles { get; init; } = "[]";

    public bool Blocked { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
