using System.Text.Json.Serialization;

namespace LlmGate.Alerting;

/// <summary>Observations as the shared store keeps them in Redis' recent-errors list; an alert's labels as the outbox keeps them.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AlertObservation))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AlertStateJsonContext : JsonSerializerContext;
