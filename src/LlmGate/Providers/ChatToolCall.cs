namespace LlmGate.Providers;

/// <summary>A tool call of a translated answer, in OpenAI's terms: its id, the function's name, and the arguments as JSON text.</summary>
internal readonly record struct ChatToolCall(string? Id, string? Name, string Arguments);
