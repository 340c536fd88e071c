using System.Text.Json.Serialization;

namespace LlmGate.Alerting;

/// <summary>The <c>error</c> member of an OpenAI-style error body.</summary>
internal sealed record OpenAiError(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    string Code);
