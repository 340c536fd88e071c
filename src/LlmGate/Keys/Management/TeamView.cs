using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmGate.Keys;

/// <summary>A team as LiteLLM's <c>LiteLLM_TeamTable</c> row shows it.</summary>
internal sealed record TeamView
{
    public required string TeamId { get; init; }

    public string? TeamAlias { get; init; }

    public required IReadOnlyList<string> Models { get; init; }

    public double Spend { get; init; }

    public double? MaxBudget { get; init; }

    public double? SoftBudget { get; init; }

    public string? BudgetDuration { get; init; }

    public DateTimeOffset? BudgetResetAt { get; init; }

    public long? TpmLimit { get; init; }

    public long? RpmLimit { get; init; }

    public long? MaxParallelRequests { get; init; }

    public JsonElement Metadata { get; init; }

    public JsonElement MembersWithRoles { get; init; }

    public bool Blocked { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    // Settable, not init: System.Text.Json cannot bind extension data through the init-only constructor path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Echoed { get; set; }

    public static TeamView Of(KeyTeam team, Dictionary<string, JsonElement>? echoed = null) => new()
    {
        TeamId = team.TeamId,
        TeamAlias = team.TeamAlias,
        Models = team.Models,
        Spend = team.Spend,
        MaxBudget = team.Limits.MaxBudget,
        SoftBudget = team.Limits.SoftBudget,
        BudgetDuration = team.Limits.BudgetDuration,
        BudgetResetAt = team.Limits.BudgetResetAt,
        TpmLimit = team.Limits.TpmLimit,
        RpmLimit = team.Limits.RpmLimit,
        MaxParallelRequests = team.Limits.MaxParallelRequests,
        Metadata = JsonObjects.Parse(team.Metadata),
        MembersWithRoles = JsonObjects.Parse(team.MembersWithRoles, array: true),
        Blocked = team.Blocked,
        CreatedAt = team.CreatedAt,
        UpdatedAt = team.UpdatedAt,
        Echoed = echoed,
    };
}
