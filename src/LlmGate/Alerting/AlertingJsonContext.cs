using System.Text.Json.Serialization;

namespace LlmGate.Alerting;

/// <summary>Source-generated JSON for the alerting endpoints, in snake_case like the rest of the API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertingStatus))]
[JsonSerializable(typeof(FireDrillReport))]
internal sealed partial class AlertingJsonContext : JsonSerializerContext;
