using System.Text.Json.Serialization;

namespace LlmGate.Keys;

/// <summary>
/// Source-generated JSON for the management API, snake_case like LiteLLM's. Nulls are written (<c>"max_budget": null</c>),
/// as LiteLLM's answers carry every field; the plaintext key fields opt out where they do not apply.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(KeyInfoResponse))]
[JsonSerializable(typeof(KeyListResponse))]
[JsonSerializable(typeof(KeyListFullResponse))]
[JsonSerializable(typeof(DeletedKeysResponse))]
[JsonSerializable(typeof(TeamView))]
[JsonSerializable(typeof(IReadOnlyList<TeamView>))]
[JsonSerializable(typeof(TeamInfoResponse))]
[JsonSerializable(typeof(DeletedTeamsResponse))]
[JsonSerializable(typeof(UserView))]
[JsonSerializable(typeof(UserInfoResponse))]
[JsonSerializable(typeof(IReadOnlyList<SpendLogView>))]
[JsonSerializable(typeof(ModelInfoResponse))]
internal sealed partial class KeyManagementJsonContext : JsonSerializerContext;
