namespace LlmGate.Messages;

/// <summary>Anthropic's count_tokens answer: <c>{"input_tokens": N}</c>.</summary>
internal sealed record TokenCount(int InputTokens);
