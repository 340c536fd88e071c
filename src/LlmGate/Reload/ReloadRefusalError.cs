namespace LlmGate.Reload;

/// <summary>The OpenAI error shape the rest of the API answers with: <c>code</c> is the status.</summary>
internal sealed record ReloadRefusalError(string Message, string Type, string? Param, string Code);
