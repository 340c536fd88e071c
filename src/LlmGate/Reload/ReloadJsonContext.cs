using System.Text.Json.Serialization;

namespace LlmGate.Reload;

/// <summary>Source-generated JSON for the reload endpoints, in snake_case like the rest of the API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(ReloadRefusal))]
[JsonSerializable(typeof(ConfigStatus))]
internal sealed partial class ReloadJsonContext : JsonSerializerContext;
