using System.Collections.Frozen;
using LlmGate.Providers.Aws;
using LlmGate.Providers.Cloudflare;
using LlmGate.Providers.Cohere;
using LlmGate.Providers.Google;

namespace LlmGate.Providers;

/// <summary>The provider prefixes LlmGate knows, and the inference of a provider from a bare model name.</summary>
internal static class ProviderCatalog
{
    public static readonly ProviderInfo OpenAi = new("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", RequiresApiKey: true, OpenAiCompatibleAdapter.AdapterName);

    // Default URLs and variables are LiteLLM's, so a LiteLLM config and environment work unchanged.
    private static readonly FrozenDictionary<string, ProviderInfo> Providers = new ProviderInfo[]
    {
        OpenAi,
        new("text-completion-openai", "https://api.openai.com/v1", "OPENAI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("custom_openai", null, "OPENAI_API_KEY", false, OpenAiCompatibleAdapter.AdapterName),
        new("openai_like", null, null, false, OpenAiCompatibleAdapter.AdapterName),
        new("hosted_vllm", null, "HOSTED_VLLM_API_KEY", false, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "HOSTED_VLLM_API_BASE"),
        new("lm_studio", "http://localhost:1234/v1", "LM_STUDIO_API_KEY", false, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "LM_STUDIO_API_BASE", ApiBasePath: "v1"),
        // LiteLLM's ollama api_base is the server root; its OpenAI-compatible API lives under /v1.
        new("ollama", "http://localhost:11434", "OLLAMA_API_KEY", false, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "OLLAMA_API_BASE", ApiBasePath: "v1"),
        new("ollama_chat", "http://localhost:11434", "OLLAMA_API_KEY", false, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "OLLAMA_API_BASE", ApiBasePath: "v1"),
        new("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("together_ai", "https://api.together.xyz/v1", "TOGETHERAI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("fireworks_ai", "https://api.fireworks.ai/inference/v1", "FIREWORKS_AI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("perplexity", "https://api.perplexity.ai", "PERPLEXITYAI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("xai", "https://api.x.ai/v1", "XAI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("sambanova", "https://api.sambanova.ai/v1", "SAMBANOVA_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("deepinfra", "https://api.deepinfra.com/v1/openai", "DEEPINFRA_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("nvidia_nim", "https://integrate.api.nvidia.com/v1", "NVIDIA_NIM_API_KEY", true, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "NVIDIA_NIM_API_BASE"),
        new("github", "https://models.inference.ai.azure.com", "GITHUB_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        // The OpenAI-compatible long tail: LiteLLM's default base, key variable and base variable for each.
        new("moonshot", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", true, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "MOONSHOT_API_BASE"),
        new("zai", "https://api.z.ai/api/paas/v4", "ZAI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "ZAI_API_BASE"),
        new("gradient_ai", "https://inference.do-ai.run/v1", "GRADIENT_AI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("dashscope", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY", true, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "DASHSCOPE_API_BASE"),
        new("novita", "https://api.novita.ai/v3/openai", "NOVITA_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("nebius", "https://api.studio.nebius.ai/v1", "NEBIUS_API_KEY", true, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "NEBIUS_API_BASE"),
        new("featherless_ai", "https://api.featherless.ai/v1", "FEATHERLESS_AI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("friendliai", "https://api.friendli.ai/serverless/v1", "FRIENDLIAI_API_KEY", true, OpenAiCompatibleAdapter.AdapterName,
            ApiBaseVariable: "FRIENDLI_API_BASE", FallbackApiKeyVariable: "FRIENDLI_TOKEN"),
        new("hyperbolic", "https://api.hyperbolic.xyz/v1", "HYPERBOLIC_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("lambda_ai", "https://api.lambda.ai/v1", "LAMBDA_API_KEY", true, OpenAiCompatibleAdapter.AdapterName),
        new("llamafile", "http://127.0.0.1:8080/v1", "LLAMAFILE_API_KEY", false, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "LLAMAFILE_API_BASE"),
        new("vllm", null, "HOSTED_VLLM_API_KEY", false, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "HOSTED_VLLM_API_BASE"),
        new("codestral", "https://codestral.mistral.ai/v1", "CODESTRAL_API_KEY", true, OpenAiCompatibleAdapter.AdapterName, ApiBaseVariable: "CODESTRAL_API_BASE"),
        // Codestral's fill-in-the-middle endpoint: /completions is answered under /v1/fim.
        new("text-completion-codestral", "https://codestral.mistral.ai/v1/fim", "CODESTRAL_API_KEY", true, OpenAiCompatibleAdapter.AdapterName,
            ApiBaseVariable: "CODESTRAL_API_BASE"),
        // Bedrock signs with AWS credentials (or takes a Bedrock API key as bearer); its host depends on the region.
        new("bedrock", "https://bedrock-runtime.us-west-2.amazonaws.com", "AWS_BEARER_TOKEN_BEDROCK", false, BedrockAdapter.AdapterName,
            Params: FrozenSet.ToFrozenSet(
                ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name", "aws_session_name", "aws_profile_name",
                 "aws_role_name", "aws_web_identity_token", "aws_sts_endpoint", "aws_external_id", "aws_bedrock_runtime_endpoint"],
                StringComparer.Ordinal)),
        new("azure_ai", null, "AZURE_AI_API_KEY", true, AzureAiAdapter.AdapterName, ApiBaseVariable: "AZURE_AI_API_BASE",
            DefaultApiVersion: AzureAiAdapter.DefaultApiVersion, Params: FrozenSet.ToFrozenSet(["api_version"], StringComparer.Ordinal)),
        new("azure", null, "AZURE_API_KEY", true, AzureOpenAiAdapter.AdapterName, ApiBaseVariable: "AZURE_API_BASE",
            ApiVersionVariable: "AZURE_API_VERSION", DefaultApiVersion: AzureOpenAiAdapter.DefaultApiVersion, TokenVariable: "AZURE_AD_TOKEN",
            Params: FrozenSet.ToFrozenSet(["api_version", "azure_ad_token"], StringComparer.Ordinal)),
        new("anthropic", "https://api.anthropic.com", "ANTHROPIC_API_KEY", true, AnthropicAdapter.AdapterName, ApiBaseVariable: "ANTHROPIC_API_BASE"),
        new("gemini", GeminiSettings.DefaultApiRoot, "GOOGLE_API_KEY", true, GeminiAdapter.AdapterName, ApiBaseVariable: "GEMINI_API_BASE",
            FallbackApiKeyVariable: "GEMINI_API_KEY"),
        // Vertex AI authenticates with OAuth tokens from Google credentials, not a key; its host depends on the location.
        new("vertex_ai", "https://aiplatform.googleapis.com", null, false, VertexAiAdapter.AdapterName,
            Params: FrozenSet.ToFrozenSet(
                ["vertex_project", "vertex_ai_project", "vertex_location", "vertex_ai_location", "vertex_credentials", "vertex_ai_credentials"],
                StringComparer.Ordinal)),
        // LiteLLM's api_base for Cohere is the full chat URL; cohere/ and cohere_chat/ are both its v2 chat.
        new("cohere", CohereSettings.DefaultChatUrl, "COHERE_API_KEY", true, CohereAdapter.AdapterName, ApiBaseVariable: "COHERE_API_BASE",
            FallbackApiKeyVariable: "CO_API_KEY"),
        new("cohere_chat", CohereSettings.DefaultChatUrl, "COHERE_API_KEY", true, CohereAdapter.AdapterName, ApiBaseVariable: "COHERE_API_BASE",
            FallbackApiKeyVariable: "CO_API_KEY"),
        // The account id (CLOUDFLARE_ACCOUNT_ID) completes the URL; the adapter's settings say when it is missing.
        new("cloudflare", CloudflareSettings.ApiRoot, "CLOUDFLARE_API_KEY", true, CloudflareAdapter.AdapterName, ApiBaseVariable: "CLOUDFLARE_API_BASE"),
    }.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    // Bare model names whose provider LiteLLM infers (from its model table), so that `gpt-4o` matches an `openai/*`
    // group and `claude-3-5-sonnet-latest` an `anthropic/*` one. First match wins.
    private static readonly (string Prefix, string Provider)[] InferencePrefixes =
    [
        ("gpt-", "openai"), ("chatgpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"),
        ("text-embedding-", "openai"), ("davinci", "openai"), ("babbage", "openai"), ("omni-moderation", "openai"),
        ("text-moderation", "openai"), ("dall-e", "openai"), ("whisper", "openai"), ("tts-", "openai"),
        ("computer-use-preview", "openai"), ("codex-", "openai"),
        ("claude", "anthropic"),
        ("mistral-", "mistral"), ("mixtral-", "mistral"), ("codestral", "mistral"), ("open-mistral", "mistral"),
        ("open-mixtral", "mistral"), ("open-codestral", "mistral"), ("pixtral-", "mistral"), ("ministral-", "mistral"),
        ("magistral-", "mistral"), ("devstral-", "mistral"),
        ("deepseek-", "deepseek"), ("grok-", "xai"), ("sonar", "perplexity"),
        ("gemini-", "gemini"), ("command-", "cohere"), ("kimi-", "moonshot"), ("moonshot-", "moonshot"), ("glm-", "zai"),
        // Bedrock model ids (and their cross-region inference profiles), as LiteLLM's model table knows them.
        ("anthropic.", "bedrock"), ("amazon.", "bedrock"), ("meta.", "bedrock"), ("mistral.", "bedrock"), ("cohere.", "bedrock"),
        ("ai21.", "bedrock"), ("us.", "bedrock"), ("eu.", "bedrock"), ("apac.", "bedrock"), ("global.", "bedrock"),
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

        // A bare Gemini model in litellm_params is Vertex AI's, as in LiteLLM's model table; AI Studio needs `gemini/`.
        var inferred = InferProvider(model);
        return (inferred == GeminiAdapter.AdapterName ? VertexAiAdapter.AdapterName : inferred ?? OpenAi.Name, model);
    }

    /// <summary>
    /// The providers a bare model name a client asks for may belong to, in the order its groups are tried: a bare
    /// <c>gemini-2.5-flash</c> matches a <c>gemini/*</c> group first, then a <c>vertex_ai/*</c> one.
    /// </summary>
    public static IEnumerable<string> InferProviders(string model)
    {
        if (InferProvider(model) is not { } provider)
        {
            yield break;
        }

        yield return provider;
        if (provider == GeminiAdapter.AdapterName)
        {
            yield return VertexAiAdapter.AdapterName;
        }

        // LiteLLM's model table files Command models under cohere_chat: a bare `command-r-plus` matches either group.
        if (provider == CohereAdapter.AdapterName)
        {
            yield return "cohere_chat";
        }
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

    /// <summary>Providers LiteLLM supports that need a translating adapter LlmGate does not have yet.</summary>
    public static bool IsKnownUnsupported(string prefix) => prefix is "huggingface" or "replicate" or "sagemaker" or "watsonx" or "databricks"
        or "ai21" or "nlp_cloud" or "aleph_alpha" or "palm" or "voyage"
        or "volcengine" or "vertex_ai_beta" or "sagemaker_chat" or "xinference" or "predibase"
        or "clarifai" or "baseten" or "petals" or "oobabooga" or "triton" or "snowflake" or "oci" or "elevenlabs";
}
