namespace LlmGate.OpenAi;

/// <summary>Where a top-level property of the request body sits: its name's opening quote, its value's start, and the end of its value.</summary>
internal readonly record struct JsonPropertySpan(int Start, int ValueStart, int End, bool GatewayOnly);
