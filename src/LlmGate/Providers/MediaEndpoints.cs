using LlmGate.OpenAi;
using LlmGate.Providers.Cohere;

namespace LlmGate.Providers;

/// <summary>
/// Which providers serve the JSON-in endpoints beyond chat and embeddings (images, speech, transcriptions, moderations, rerank). Checked
/// before an adapter sees the call, so the adapters written for chat and embeddings need no case for them, and a provider
/// without the endpoint is refused with one clear message (the client's 400, never retried) rather than each adapter's own.
/// </summary>
internal static class MediaEndpoints
{
    public static bool IsMedia(ProxyEndpointKind kind) => kind >= ProxyEndpointKind.ImageGenerations;

    /// <summary>The endpoint as clients call it, for messages.</summary>
    public static string Path(ProxyEndpointKind kind) => kind switch
    {
        ProxyEndpointKind.ImageGenerations => "/images/generations",
        ProxyEndpointKind.AudioSpeech => "/audio/speech",
        ProxyEndpointKind.Moderations => "/moderations",
        ProxyEndpointKind.Rerank => "/rerank",
        ProxyEndpointKind.AudioTranscriptions => "/audio/transcriptions",
        ProxyEndpointKind.AudioTranslations => "/audio/translations",
        _ => "/" + kind,
    };

    /// <summary>Null when the deployment serves the endpoint; otherwise the refusal naming provider and endpoint.</summary>
    public static string? Refusal(ProviderEndpoint endpoint, ProxyEndpointKind kind)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!IsMedia(kind))
        {
            return null;
        }

        var adapter = endpoint.Adapter.Name;
        var openAiShaped = adapter == OpenAiCompatibleAdapter.AdapterName;
        var served = kind switch
        {
            ProxyEndpointKind.ImageGenerations or ProxyEndpointKind.AudioSpeech or ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations => openAiShaped || adapter == AzureOpenAiAdapter.AdapterName,
            // Azure OpenAI has no moderations endpoint (its content filter runs on every call).
            ProxyEndpointKind.Moderations => openAiShaped,
            // OpenAI itself has no rerank; an openai/ deployment pointed at vLLM, Jina or Infinity does.
            ProxyEndpointKind.Rerank => adapter == CohereAdapter.AdapterName
                || (openAiShaped && (endpoint.ProviderName != "openai" || endpoint.Config.ApiBase is not null)),
            _ => false,
        };
        if (served)
        {
            return null;
        }

        var hint = kind == ProxyEndpointKind.Rerank && openAiShaped
            ? "; set litellm_params.api_base to a server that serves /rerank in Cohere's shape (vLLM, Jina, Infinity)"
            : "";
        return $"{Path(kind)} is not supported by provider {endpoint.ProviderName}{hint}.";
    }
}
