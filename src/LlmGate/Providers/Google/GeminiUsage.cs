using System.Text.Json;

namespace LlmGate.Providers.Google;

/// <summary>
/// Gemini's <c>usageMetadata</c> as OpenAI's usage, by LiteLLM's rules: completion tokens are the candidates' plus the
/// thoughts' (Gemini counts thinking apart, OpenAI bills it as output and reports it as <c>reasoning_tokens</c>).
/// </summary>
internal static class GeminiUsage
{
    public static ChatUsage From(JsonElement usageMetadata)
    {
        var prompt = ProviderJson.Number(usageMetadata, "promptTokenCount");
        var thoughts = ProviderJson.Number(usageMetadata, "thoughtsTokenCount");
        var completion = ProviderJson.Number(usageMetadata, "candidatesTokenCount") + thoughts;
        // totalTokenCount also counts tool-use prompt tokens, which have no OpenAI field of their own.
        var total = ProviderJson.Number(usageMetadata, "totalTokenCount") is > 0 and var reported ? reported : prompt + completion;
        return new ChatUsage(prompt, completion, total, ProviderJson.Number(usageMetadata, "cachedContentTokenCount"), thoughts);
    }
}
