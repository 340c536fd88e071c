namespace LlmGate.Providers;

/// <summary>One choice of a translated <c>chat.completion</c>: the assistant's text, its reasoning, its tool calls, why it stopped.</summary>
/// <param name="Content">The answer's text; null when it has none (only tool calls, or a content filter's stop).</param>
/// <param name="Reasoning">Thinking the provider shows, as <c>reasoning_content</c>; null when none.</param>
internal sealed record ChatChoice(int Index, string? Content, string? Reasoning, IReadOnlyList<ChatToolCall> ToolCalls, string FinishReason);
