using System.Text.Json.Serialization;

namespace LlmGate.Alerting.Silences;

/// <summary>Source-generated JSON for silences, in camelCase as Alertmanager's v2 API (so amtool reads it).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SilenceDocument))]
[JsonSerializable(typeof(List<SilenceDocument>))]
[JsonSerializable(typeof(SilenceIdDocument))]
internal sealed partial class SilenceJsonContext : JsonSerializerContext;
