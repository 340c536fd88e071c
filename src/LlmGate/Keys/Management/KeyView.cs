using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmGate.Keys;

/// <summary>
/// A virtual key as LiteLLM's management API shows it. <see cref="Key"/>, the plaintext, is set only in the answer that
/// created it (<c>/key/generate</c>, <c>/key/regenerate</c>, <c>/user/new</c>) and is left out everywhere else.
/// </summary>
internal sealed record KeyView
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    public required string KeyName { get; init; }

    public string? KeyAlias { get; init; }

    /// <summary>The SHA-256 hex the store keeps; what every other route takes to name the key.</summary>
    public required string Token { get; init; }

    public required string TokenId { get; init; }

    public double Spend { get; init; }

    public double? MaxBudget { get; init; }

    public double? SoftBudget { get; init; }

    public string? BudgetDuration { get; init; }

    public DateTimeOffset? BudgetResetAt { get; init; }

    public long? TpmLimit { get; init; }

    public long? RpmLimit { get; init; }

    public long? MaxParallelRequests { get; init; }

    public required IReadOnlyList<string> Models { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public string? UserId { get; init; }

    public string? TeamId { get; init; }

    public JsonElement Metadata { get; init; }

    public bool Blocked { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? CreatedBy { get; init; }

    /// <summary>The informational fields the request sent (<c>tags</c>, <c>aliases</c>...), echoed back as LiteLLM does.</summary>
    // Settable, not init: System.Text.Json cannot bind extension data through the init-only constructor path.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Echoed { get; set; }

    public static KeyView Of(VirtualKey key, string? plaintext = null, Dictionary<string, JsonElement>? echoed = null) => new()
    {
        Key = plaintext,
        KeyName = key.KeyName,
        KeyAlias = key.KeyAlias,
        Token = key.Token,
        TokenId = key.Token,
        Spend = key.Spend,
        MaxBudget = key.Limits.MaxBudget,
        SoftBudget = key.Limits.SoftBudget,
        BudgetDuration = key.Limits.BudgetDuration,
        BudgetResetAt = key.Limits.BudgetResetAt,
        TpmLimit = key.Limits.TpmLimit,
        RpmLimit = key.Limits.RpmLimit,
        MaxParallelRequests = key.Limits.MaxParallelRequests,
        Models = key.Models,
        Expires = key.Expires,
        UserId = key.UserId,
        TeamId = key.TeamId,
        Metadata = JsonObjects.Parse(key.Metadata),
        Blocked = key.Blocked,
        CreatedAt = key.CreatedAt,
        UpdatedAt = key.UpdatedAt,
        CreatedBy = key.CreatedBy,
        Echoed = echoed,
    };
}
