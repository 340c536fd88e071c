namespace LlmGate.Providers;

/// <summary>A tool call of a translated answer, as OpenAI's <c>tool_calls</c> entry carries it.</summary>
/// <param name="Arguments">The arguments as OpenAI's JSON text (<c>{}</c> for none).</param>
internal readonly record struct ChatToolCall(string Id, string? Name, string Arguments);
