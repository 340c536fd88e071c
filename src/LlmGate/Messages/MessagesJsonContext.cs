using System.Text.Json.Serialization;

namespace LlmGate.Messages;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TokenCount))]
internal sealed partial class MessagesJsonContext : JsonSerializerContext;
