using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmGate.Keys;

/// <summary>
/// An internal user as LiteLLM's <c>LiteLLM_UserTable</c> row shows it; in <c>/user/new</c>'s answer also the key made
/// for it (<see cref="Key"/> is the plaintext, shown that once).
/// </summary>
internal sealed record UserView
{
    public required string UserId { get; init; }

    public string? UserAlias { get; init; }

    public string? UserEmail { get; init; }

    public required string UserRole { get; init; }

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

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyName { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Expires { get; init; }

    // Settable, not init: System.Text.Json cannot bind extension data through the init-only constructor path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Echoed { get; set; }

    public static UserView Of(KeyUser user) => new()
    {
        UserId = user.UserId,
        UserAlias = user.UserAlias,
        UserEmail = user.UserEmail,
        UserRole = user.UserRole,
        Models = user.Models,
        Spend = user.Spend,
        MaxBudget = user.Limits.MaxBudget,
        SoftBudget = user.Limits.SoftBudget,
        BudgetDuration = user.Limits.BudgetDuration,
        BudgetResetAt = user.Limits.BudgetResetAt,
        TpmLimit = user.Limits.TpmLimit,
        RpmLimit = user.Limits.RpmLimit,
        MaxParallelRequests = user.Limits.MaxParallelRequests,
        Metadata = JsonObjects.Parse(user.Metadata),
        CreatedAt = user.CreatedAt,
        UpdatedAt = user.UpdatedAt,
    };
}
