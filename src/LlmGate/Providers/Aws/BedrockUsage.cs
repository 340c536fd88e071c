using System.Text.Json;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Converse's <c>usage</c> (<c>inputTokens</c>, <c>outputTokens</c>, <c>cacheReadInputTokens</c>,
/// <c>cacheWriteInputTokens</c>) as OpenAI's, by LiteLLM's rule: <c>inputTokens</c> excludes cached input, so prompt
/// tokens add cache reads and writes back (as for Anthropic's own API); cache reads are also OpenAI's <c>cached_tokens</c>.
/// The total is prompt plus completion, which is Bedrock's <c>totalTokens</c> (it counts the cache too).
/// </summary>
internal static class BedrockUsage
{
    public static ChatUsage From(JsonElement usage)
    {
        var cacheRead = ProviderJson.Number(usage, "cacheReadInputTokens");
        var prompt = ProviderJson.Number(usage, "inputTokens") + cacheRead + ProviderJson.Number(usage, "cacheWriteInputTokens");
        var completion = ProviderJson.Number(usage, "outputTokens");
        return new ChatUsage(prompt, completion, prompt + completion, cacheRead);
    }
}
