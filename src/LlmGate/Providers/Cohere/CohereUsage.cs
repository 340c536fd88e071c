using System.Text.Json;

namespace LlmGate.Providers.Cohere;

/// <summary>
/// Cohere's <c>usage</c> as OpenAI's: the model's own counts (<c>tokens</c>, as LiteLLM reads them), else the billed ones
/// (<c>billed_units</c>, which leave out the prompt Cohere adds); <c>cached_tokens</c> as OpenAI's cached prompt tokens.
/// </summary>
internal static class CohereUsage
{
    public static ChatUsage From(JsonElement usage)
    {
        var counts = ProviderJson.Property(usage, "tokens") is { ValueKind: JsonValueKind.Object } tokens ? tokens : ProviderJson.Property(usage, "billed_units");
        var prompt = ProviderJson.Number(counts, "input_tokens");
        var completion = ProviderJson.Number(counts, "output_tokens");
        return new ChatUsage(prompt, completion, prompt + completion, ProviderJson.Number(usage, "cached_tokens"));
    }
}
