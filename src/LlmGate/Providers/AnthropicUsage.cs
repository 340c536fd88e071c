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

    /// <summary>
    /// OpenAI's <c>usage</c> the other way: its prompt tokens include cached ones, Anthropic's <c>input_tokens</c> do
    /// not, so cached tokens move to <c>cache_read_input_tokens</c>.
    /// </summary>
    public static AnthropicUsage FromOpenAi(JsonElement usage)
    {
        var prompt = ProviderJson.Number(usage, "prompt_tokens");
        var cached = Math.Clamp(ProviderJson.Number(ProviderJson.Property(usage, "prompt_tokens_details"), "cached_tokens"), 0, prompt);
        return new(prompt - cached, ProviderJson.Number(usage, "completion_tokens"), cached, 0);
    }

    /// <summary>Anthropic's <c>usage</c> object; the cache counts only when there are any, as OpenAI-backed answers rarely have them.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", InputTokens);
        if (CacheCreationTokens > 0)
        {
            writer.WriteNumber("cache_creation_input_tokens", CacheCreationTokens);
        }

        if (CacheReadTokens > 0)
        {
            writer.WriteNumber("cache_read_input_tokens", CacheReadTokens);
        }

        writer.WriteNumber("output_tokens", OutputTokens);
        writer.WriteEndObject();
    }

    private static long Number(JsonElement element, string name, long fallback = 0) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number)
            ? number
            : fallback;
}
