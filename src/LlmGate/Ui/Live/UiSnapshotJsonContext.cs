using System.Text.Json.Serialization;

namespace LlmGate.Ui.Live;

/// <summary>The snapshot's JSON, source-generated: serialised once a second, whatever the number of viewers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(UiSnapshot))]
internal sealed partial class UiSnapshotJsonContext : JsonSerializerContext;
