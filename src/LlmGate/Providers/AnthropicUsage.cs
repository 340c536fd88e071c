using System.Text.Json;

namespace LlmGate.Providers;

/// <summary>
/// Anthropic's token counts as OpenAI's usage. Anthropic's <c>input_tokens</c> excludes cached input, so prompt tokens
/// add cache reads and writes back (as LiteLLM does); cache reads are also reported as OpenAI's <c>cached_tokens</c>.
/// </summary>
internal readonly record struct AnthropicUsage(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheCreationTokens)
{
    public long PromptTokens => InputTokens + CacheReadTokens + CacheCreationTokens;

    public static AnthropicUsage From(JsonElement usage) => new(
        Number(usage, "input_tokens"), Number(usage, "output_tokens"), Number(usage, "cache_read_input_tokens"), Number(usage, "cache_creation_input_tokens"));

    /// <summary>A later usage (a stream's <c>message_delta</c>) overrides the counts it carries.</summary>
    public AnthropicUsage Merge(JsonElement usage) => new(
        Number(usage, "input_tokens", InputTokens),
        Number(usage, "output_tokens", OutputTokens),
        Number(usage, "cache_read_input_tokens", CacheReadTokens),
        Number(usage, "cache_creation_input_tokens", CacheCreationTokens));

    public ChatUsage ToChatUsage() => new(PromptTokens, OutputTokens, PromptTokens + OutputTokens, CacheReadTokens);

    private static long Number(JsonElement element, string name, long fallback = 0) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number)
            ? number
            : fallback;
}
