using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>A provider's blocked answer in OpenAI's shape (<c>finish_reason: content_filter</c>), served when no <c>content_policy_fallbacks</c> take over.</summary>
/// <param name="Body">The whole answer: a <c>chat.completion</c> JSON, or a stream's SSE events ending in <c>[DONE]</c>.</param>
internal sealed record BlockedAnswer(ReadOnlyMemory<byte> Body, string ContentType, TokenUsage? Usage);
