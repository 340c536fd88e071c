using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;
using LlmGate.Proxy;
using LlmGate.Routing;

namespace LlmGate.Tests.Providers;

public sealed class ProviderCatalogTests
{
    private static readonly ProviderAdapters Adapters = ProviderAdapters.CreateDefault(TimeProvider.System);

    private static ProviderEndpoint Deployment(string model, string? apiBase = null, string? apiKey = null, string? apiVersion = null, IReadOnlyDictionary<string, string>? environment = null) =>
        new(new DeploymentConfig { ModelName = "m", Model = model, Id = "d", ApiBase = apiBase, ApiKey = apiKey, ProviderParams = apiVersion is null ? new Dictionary<string, string>() : new() { ["api_version"] = apiVersion } },
            Adapters, name => environment?.GetValueOrDefault(name));

    [Theory]
    [InlineData("claude-3-5-sonnet-latest", "anthropic")]
    [InlineData("claude-opus-4-1", "anthropic")]
    [InlineData("gpt-4o", "openai")]
    [InlineData("o3-mini", "openai")]
    [InlineData("mistral-large-latest", "mistral")]
    [InlineData("codestral-latest", "mistral")]
    [InlineData("deepseek-chat", "deepseek")]
    [InlineData("grok-3", "xai")]
    [InlineData("sonar-pro", "perplexity")]
    [InlineData("kimi-k2-0905-preview", "moonshot")]
    [InlineData("glm-4.6", "zai")]
    public void InferProvider_CommonModelNames_TheirProvider(string model, string provider) =>
        Assert.Equal(provider, ProviderCatalog.InferProvider(model));

    [Theory]
    [InlineData("groq/llama-3.1-8b-instant", "https://api.groq.com/openai/v1/chat/completions", "GROQ_API_KEY")]
    [InlineData("mistral/mistral-small", "https://api.mistral.ai/v1/chat/completions", "MISTRAL_API_KEY")]
    [InlineData("deepseek/deepseek-chat", "https://api.deepseek.com/v1/chat/completions", "DEEPSEEK_API_KEY")]
    [InlineData("together_ai/meta-llama/Llama-3-70b", "https://api.together.xyz/v1/chat/completions", "TOGETHERAI_API_KEY")]
    [InlineData("fireworks_ai/accounts/fireworks/models/llama", "https://api.fireworks.ai/inference/v1/chat/completions", "FIREWORKS_AI_API_KEY")]
    [InlineData("openrouter/anthropic/claude-3.5-sonnet", "https://openrouter.ai/api/v1/chat/completions", "OPENROUTER_API_KEY")]
    [InlineData("perplexity/sonar", "https://api.perplexity.ai/chat/completions", "PERPLEXITYAI_API_KEY")]
    [InlineData("xai/grok-3", "https://api.x.ai/v1/chat/completions", "XAI_API_KEY")]
    [InlineData("cerebras/llama3.1-8b", "https://api.cerebras.ai/v1/chat/completions", "CEREBRAS_API_KEY")]
    [InlineData("nvidia_nim/meta/llama3-70b-instruct", "https://integrate.api.nvidia.com/v1/chat/completions", "NVIDIA_NIM_API_KEY")]
    [InlineData("github/gpt-4o", "https://models.inference.ai.azure.com/chat/completions", "GITHUB_API_KEY")]
    [InlineData("moonshot/kimi-k2", "https://api.moonshot.ai/v1/chat/completions", "MOONSHOT_API_KEY")]
    [InlineData("zai/glm-4.6", "https://api.z.ai/api/paas/v4/chat/completions", "ZAI_API_KEY")]
    [InlineData("gradient_ai/llama3.3-70b-instruct", "https://inference.do-ai.run/v1/chat/completions", "GRADIENT_AI_API_KEY")]
    [InlineData("dashscope/qwen-max", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions", "DASHSCOPE_API_KEY")]
    [InlineData("novita/deepseek/deepseek-r1", "https://api.novita.ai/v3/openai/chat/completions", "NOVITA_API_KEY")]
    [InlineData("nebius/Qwen/Qwen3-235B", "https://api.studio.nebius.ai/v1/chat/completions", "NEBIUS_API_KEY")]
    [InlineData("featherless_ai/Qwen/Qwen3-32B", "https://api.featherless.ai/v1/chat/completions", "FEATHERLESS_AI_API_KEY")]
    [InlineData("friendliai/meta-llama-3.1-8b-instruct", "https://api.friendli.ai/serverless/v1/chat/completions", "FRIENDLIAI_API_KEY")]
    [InlineData("hyperbolic/deepseek-ai/DeepSeek-V3", "https://api.hyperbolic.xyz/v1/chat/completions", "HYPERBOLIC_API_KEY")]
    [InlineData("lambda_ai/llama3.1-8b-instruct", "https://api.lambda.ai/v1/chat/completions", "LAMBDA_API_KEY")]
    [InlineData("codestral/codestral-latest", "https://codestral.mistral.ai/v1/chat/completions", "CODESTRAL_API_KEY")]
    public void Deployment_OpenAiCompatiblePrefix_DefaultBaseAndKeyVariable(string model, string endpoint, string variable)
    {
        var deployment = Deployment(model, environment: new Dictionary<string, string> { [variable] = "key-1" });

        Assert.Null(deployment.UnusableReason);
        Assert.IsType<OpenAiCompatibleAdapter>(deployment.Adapter);
        Assert.Equal(endpoint, deployment.EndpointUri(ProxyEndpointKind.ChatCompletions)!.ToString());
        Assert.Equal("Bearer key-1", deployment.AuthorizationHeader);
        Assert.Equal(model[(model.IndexOf('/', StringComparison.Ordinal) + 1)..], deployment.UpstreamModelTemplate);
    }

    [Theory]
    [InlineData("http://localhost:11434", "http://localhost:11434/v1/chat/completions")]
    [InlineData("http://gpu-box:11434/v1/", "http://gpu-box:11434/v1/chat/completions")]
    public void Deployment_Ollama_ApiBaseGetsV1OnceAndNeedsNoKey(string apiBase, string endpoint)
    {
        var deployment = Deployment("ollama_chat/llama3.1", apiBase);

        Assert.Null(deployment.UnusableReason);
        Assert.Equal(endpoint, deployment.EndpointUri(ProxyEndpointKind.ChatCompletions)!.ToString());
    }

    [Fact]
    public void Deployment_HostedVllm_ApiBaseFromVariable()
    {
        var deployment = Deployment("hosted_vllm/qwen", environment: new Dictionary<string, string> { ["HOSTED_VLLM_API_BASE"] = "http://10.0.0.5:8000/v1" });

        Assert.Null(deployment.UnusableReason);
        Assert.Equal("http://10.0.0.5:8000/v1/chat/completions", deployment.EndpointUri(ProxyEndpointKind.ChatCompletions)!.ToString());
    }

    [Fact]
    public void Deployment_Azure_BaseVersionKeyFromVariablesAndEndpointUris()
    {
        var deployment = Deployment("azure/prod-gpt4o", environment: new Dictionary<string, string>
        {
            ["AZURE_API_BASE"] = "https://contoso.openai.azure.com/",
            ["AZURE_API_KEY"] = "azure-key",
        });

        Assert.Null(deployment.UnusableReason);
        Assert.Equal(AzureOpenAiAdapter.DefaultApiVersion, deployment.ApiVersion);
        Assert.Equal("azure-key", deployment.ApiKey);
        Assert.Equal("https://contoso.openai.azure.com/openai/deployments/prod-gpt4o/embeddings?api-version=2024-10-21",
            AzureOpenAiAdapter.EndpointUri(deployment.ApiBase!, "prod-gpt4o", ProxyEndpointKind.Embeddings, "2024-10-21").ToString());
        Assert.Equal("https://contoso.openai.azure.com/openai/deployments/prod-gpt4o/completions?api-version=v",
            AzureOpenAiAdapter.EndpointUri(new Uri("https://contoso.openai.azure.com/openai/"), "prod-gpt4o", ProxyEndpointKind.Completions, "v").ToString());
        Assert.Equal("https://contoso.openai.azure.com/openai/deployments/my-whisper/audio/transcriptions?api-version=v",
            AzureOpenAiAdapter.EndpointUri(deployment.ApiBase!, "my-whisper", ProxyEndpointKind.AudioTranscriptions, "v").ToString());
        Assert.Equal("https://contoso.openai.azure.com/openai/deployments/my-whisper/audio/translations?api-version=v",
            AzureOpenAiAdapter.EndpointUri(deployment.ApiBase!, "my-whisper", ProxyEndpointKind.AudioTranslations, "v").ToString());
    }

    [Fact]
    public void Deployment_AzureWithoutKeyOrToken_UnusableNamingBoth()
    {
        var deployment = Deployment("azure/prod", "https://contoso.openai.azure.com");

        Assert.Contains("AZURE_API_KEY", deployment.UnusableReason, StringComparison.Ordinal);
        Assert.Contains("AZURE_AD_TOKEN", deployment.UnusableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_AzureTokenVariable_UsedWhenNoKey()
    {
        var deployment = Deployment("azure/prod", "https://contoso.openai.azure.com", apiVersion: "2024-06-01",
            environment: new Dictionary<string, string> { ["AZURE_AD_TOKEN"] = "token", ["AZURE_API_VERSION"] = "ignored" });

        Assert.Null(deployment.UnusableReason);
        Assert.Equal(("token", "2024-06-01"), (deployment.BearerToken, deployment.ApiVersion));
    }

    [Fact]
    public void Endpoint_ProviderParams_ReadOnlyByTheProviderThatOwnsThem()
    {
        var parameters = new Dictionary<string, string> { ["api_version"] = "2024-06-01", ["azure_ad_token"] = "entra-token" };
        ProviderEndpoint Endpoint(string model) =>
            new(new DeploymentConfig { ModelName = "m", Model = model, Id = "d", ApiBase = "https://contoso.openai.azure.com", ApiKey = "k", ProviderParams = parameters },
                Adapters, _ => null);

        var azure = Endpoint("azure/prod");
        var openai = Endpoint("openai/gpt-4o");

        Assert.Equal(("2024-06-01", "entra-token"), (azure.ApiVersion, azure.BearerToken));
        Assert.Equal(("2024-06-01", "entra-token"), (azure.Param("api_version"), azure.Param("azure_ad_token")));
        Assert.Equal((null, null), (openai.Param("api_version"), openai.BearerToken));
        Assert.Null(openai.ApiVersion);
    }

    [Theory]
    [InlineData("https://api.anthropic.com/", "https://api.anthropic.com/v1/messages")]
    [InlineData("https://gateway.example/anthropic/v1/", "https://gateway.example/anthropic/v1/messages")]
    [InlineData("https://gateway.example/v1/messages/", "https://gateway.example/v1/messages")]
    public void MessagesUri_ApiBaseForms_OneMessagesPath(string apiBase, string expected) =>
        Assert.Equal(expected, AnthropicAdapter.MessagesUri(new Uri(apiBase)).ToString());

    [Fact]
    public void Deployment_AnthropicWithoutKey_UnusableNamingVariable()
    {
        var deployment = Deployment("anthropic/claude-3-5-haiku-latest");

        Assert.IsType<AnthropicAdapter>(deployment.Adapter);
        Assert.Contains("ANTHROPIC_API_KEY", deployment.UnusableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_TextCompletionCodestral_CompletionsOnTheFimPath()
    {
        var deployment = Deployment("text-completion-codestral/codestral-latest", environment: new Dictionary<string, string> { ["CODESTRAL_API_KEY"] = "k" });

        Assert.Equal("https://codestral.mistral.ai/v1/fim/completions", deployment.EndpointUri(ProxyEndpointKind.Completions)!.ToString());
    }

    [Fact]
    public void Deployment_FriendliToken_FillsInForItsKeyVariable() =>
        Assert.Equal("Bearer tok", Deployment("friendliai/m", environment: new Dictionary<string, string> { ["FRIENDLI_TOKEN"] = "tok" }).AuthorizationHeader);

    [Theory]
    [InlineData("https://my-res.services.ai.azure.com", "https://my-res.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview", "api-key", "k")]
    [InlineData("https://my-res.services.ai.azure.com/models", "https://my-res.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview", "api-key", "k")]
    [InlineData("https://my-res.openai.azure.com/openai/v1", "https://my-res.openai.azure.com/openai/v1/chat/completions", "api-key", "k")]
    [InlineData("https://llama-serverless.eastus2.models.ai.azure.com", "https://llama-serverless.eastus2.models.ai.azure.com/chat/completions", "Authorization", "Bearer k")]
    public void Deployment_AzureAi_FoundryModelsPathAndApiKeyElseBearer(string apiBase, string endpoint, string header, string value)
    {
        var deployment = Deployment("azure_ai/Llama-3.3-70B-Instruct", apiBase, apiKey: "k");

        Assert.Null(deployment.UnusableReason);
        var settings = Assert.IsType<AzureAiSettings>(deployment.Settings);
        Assert.Equal(endpoint, settings.EndpointUri(ProxyEndpointKind.ChatCompletions).ToString());
        Assert.Equal((header, value), settings.KeyHeader);
    }

    [Fact]
    public void Deployment_AzureAiWithoutApiBase_UnusableNamingItsVariable() =>
        Assert.Contains("api_base", Deployment("azure_ai/m", apiKey: "k").UnusableReason, StringComparison.Ordinal);

    [Theory]
    [InlineData("huggingface/HuggingFaceH4/zephyr-7b-beta")]
    [InlineData("watsonx/ibm/granite-13b-chat-v2")]
    public void Deployment_StillUnsupportedProvider_UnusableSaysSo(string model) =>
        Assert.Contains("is not supported", Deployment(model, apiKey: "k").UnusableReason, StringComparison.Ordinal);
}
