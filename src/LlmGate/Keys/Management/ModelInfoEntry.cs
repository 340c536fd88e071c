namespace LlmGate.Keys;

/// <summary>One deployment in <c>/model/info</c>'s <c>data</c>.</summary>
internal sealed record ModelInfoEntry(string ModelName, ModelInfoParams LitellmParams, ModelInfoDetails ModelInfo);
