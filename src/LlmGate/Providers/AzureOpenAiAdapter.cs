using System.Net;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// Azure OpenAI: OpenAI's wire format under <c>{api_base}/openai/deployments/{deployment}/...?api-version=...</c>, with
/// the key in an <c>api-key</c> header or an Entra ID token as a bearer. The body and the answer stay bytes.
/// </summary>
internal sealed class AzureOpenAiAdapter : IProviderAdapter
{
    /// <summary>LiteLLM's default when neither <c>api_version</c> nor <c>AZURE_API_VERSION</c> is set.</summary>
    public const string DefaultApiVersion = "2025-02-01-preview";

    public const string AdapterName = "azure";

    public string Name => AdapterName;

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var deployment = call.Endpoint;
        var request = new HttpRequestMessage(HttpMethod.Post, EndpointUri(deployment.ApiBase!, call.UpstreamModel, call.Kind, deployment.ApiVersion ?? DefaultApiVersion))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = OpenAiCompatibleAdapter.Content(call),
        };
        Authorize(request, deployment);
        return ValueTask.FromResult(request);
    }

    /// <summary>The deployment's Entra ID token as a bearer, else its key as <c>api-key</c>.</summary>
    public static void Authorize(HttpRequestMessage request, ProviderEndpoint deployment)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.BearerToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }
        else if (deployment.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation("api-key", key);
        }
    }

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        call.Kind == ProxyEndpointKind.Responses
            ? call.Stream ? ResponsesPassThrough.RelayStreamAsync(context, response, body, call, cancellationToken) : ResponsesPassThrough.RelayAnswerAsync(context, body, call, cancellationToken)
            : call.Kind == ProxyEndpointKind.AudioSpeech ? OpenAiCompatibleAdapter.RelayAudioAsync(context, response, body, call, cancellationToken)
            : OpenAiCompatibleAdapter.RelayBytesAsync(context, response, body, call, cancellationToken);

    // Azure answers in OpenAI's error shape (content filter errors add a `code` and no `type`).
    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => OpenAiCompatibleErrors.Parse(body, status);

    /// <param name="apiBase">The resource URL (<c>https://name.openai.azure.com/</c>); one ending in <c>/openai</c> is accepted too.</param>
    public static Uri EndpointUri(Uri apiBase, string deploymentName, ProxyEndpointKind kind, string apiVersion)
    {
        var root = apiBase.AbsolutePath.TrimEnd('/').EndsWith("/openai", StringComparison.OrdinalIgnoreCase) ? "" : "openai/";
        if (kind == ProxyEndpointKind.Responses)
        {
            // Not under the deployment: the body's model names it.
            var version = string.CompareOrdinal(apiVersion, ResponsesApi.AzureMinimumVersion) < 0 ? ResponsesApi.AzureMinimumVersion : apiVersion;
            return new Uri(apiBase, $"{root}responses?api-version={Uri.EscapeDataString(version)}");
        }

        var operation = kind switch
        {
            ProxyEndpointKind.ChatCompletions => "chat/completions",
            ProxyEndpointKind.Completions => "completions",
            ProxyEndpointKind.ImageGenerations => "images/generations",
            ProxyEndpointKind.AudioSpeech => "audio/speech",
            ProxyEndpointKind.AudioTranscriptions => "audio/transcriptions",
            ProxyEndpointKind.AudioTranslations => "audio/translations",
            _ => "embeddings",
        };
        return new Uri(apiBase, $"{root}deployments/{Uri.EscapeDataString(deploymentName)}/{operation}?api-version={Uri.EscapeDataString(apiVersion)}");
    }
}
