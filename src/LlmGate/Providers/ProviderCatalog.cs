using System.Collections.Frozen;

namespace LlmGate.Providers;

/// <summary>The provider prefixes LlmGate knows, and the inference of a provider from a bare model name.</summary>
internal static class ProviderCatalog
{
    public static readonly ProviderInfo OpenAi = new("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", RequiresApiKey: true, OpenAiCompatibleAdapter.Instance);

    private static readonly FrozenDictionary<string, ProviderInfo> Providers = new ProviderInfo[]
    {
        OpenAi,
        new("text-completion-openai", "https://api.openai.com/v1", "OPENAI_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("custom_openai", null, "OPENAI_API_KEY", false, OpenAiCompatibleAdapter.Instance),
        new("openai_like", null, null, false, OpenAiCompatibleAdapter.Instance),
        new("hosted_vllm", null, "HOSTED_VLLM_API_KEY", false, OpenAiCompatibleAdapter.Instance),
        new("lm_studio", "http://localhost:1234/v1", "LM_STUDIO_API_KEY", false, OpenAiCompatibleAdapter.Instance),
        new("ollama", "http://localhost:11434/v1", null, false, OpenAiCompatibleAdapter.Instance),
        new("ollama_chat", "http://localhost:11434/v1", null, false, OpenAiCompatibleAdapter.Instance),
        new("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("together_ai", "https://api.together.xyz/v1", "TOGETHERAI_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("fireworks_ai", "https://api.fireworks.ai/inference/v1", "FIREWORKS_AI_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("perplexity", "https://api.perplexity.ai", "PERPLEXITYAI_API_KEY", true, OpenAiCompatibleAdapter.Instance),
        new("xai", "https://api.x.ai/v1", "XAI_API_KEY", true, OpenAiCompatibleAdapter.Instance),
    }.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    // Bare model names whose provider LiteLLM infers, so that `gpt-4o` matches an `openai/*` group.
    private static readonly (string Prefix, string Provider)[] InferencePrefixes =
    [
        ("gpt-", "openai"), ("chatgpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"),
        ("text-embedding-", "openai"), ("davinci", "openai"), ("babbage", "openai"), ("omni-moderation", "openai"),
        ("text-moderation", "openai"), ("dall-e", "openai"), ("whisper", "openai"), ("tts-", "openai"),
        ("claude-", "anthropic"), ("mistral-", "mistral"), ("mixtral-", "mistral"), ("codestral", "mistral"),
        ("open-mistral", "mistral"), ("deepseek-", "deepseek"), ("grok-", "xai"), ("gemini-", "gemini"),
    ];

    /// <summary>Splits <c>provider/model</c>; a model with no known prefix is OpenAI's, as in LiteLLM.</summary>
    public static (string Provider, string UpstreamModel) Split(string model)
    {
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var prefix = model[..slash];
            if (Providers.ContainsKey(prefix) || IsKnownUnsupported(prefix))
            {
                return (prefix, model[(slash + 1)..]);
            }
        }

        return (InferProvider(model) ?? OpenAi.Name, model);
    }

    public static ProviderInfo? Find(string provider) => Providers.GetValueOrDefault(provider);

    public static string? InferProvider(string model)
    {
        foreach (var (prefix, provider) in InferencePrefixes)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        return null;
    }

    // Providers LiteLLM supports that need a translating adapter LlmGate does not have yet.
    private static bool IsKnownUnsupported(string prefix) => prefix is "azure" or "azure_ai" or "anthropic" or "bedrock"
        or "vertex_ai" or "gemini" or "cohere" or "huggingface" or "replicate" or "sagemaker" or "watsonx"
        or "databricks" or "cloudflare" or "ai21" or "nlp_cloud" or "aleph_alpha" or "palm" or "voyage"
        or "github" or "cerebras" or "sambanova" or "nvidia_nim" or "dashscope" or "moonshot" or "volcengine";
}
