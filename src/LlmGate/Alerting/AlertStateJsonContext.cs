using System.Text.Json.Serialization;

namespace LlmGate.Alerting;

/// <summary>Observations as the shared store keeps them in Redis' recent-errors list.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AlertObservation))]
internal sealed partial class AlertStateJsonContext : JsonSerializerContext;
