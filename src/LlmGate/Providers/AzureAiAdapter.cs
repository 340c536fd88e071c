using System.Net;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers;

/// <summary>
/// Azure AI Foundry (<c>azure_ai/</c>), OpenAI's wire format as LiteLLM calls it: on a Foundry resource
/// (<c>*.services.ai.azure.com</c>) the model inference API <c>{api_base}/models/chat/completions?api-version=...</c>,
/// elsewhere (serverless endpoints) <c>{api_base}/chat/completions</c>. The key goes as <c>api-key</c> on Azure's own
/// resource hosts and as a bearer everywhere else. Body and answer stay bytes.
/// </summary>
internal sealed class AzureAiAdapter : IProviderAdapter
{
    public const string AdapterName = "azure_ai";

    /// <summary>The Azure AI model inference API version LiteLLM sends when none is configured.</summary>
    public const string DefaultApiVersion = "2024-05-01-preview";

    public string Name => AdapterName;

    public IProviderSettings? Configure(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.ApiBase is { } apiBase ? new AzureAiSettings(apiBase, endpoint.ApiVersion ?? DefaultApiVersion, endpoint.ApiKey) : null;
    }

    public ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var settings = (AzureAiSettings)call.Endpoint.Settings!;
        var request = new HttpRequestMessage(HttpMethod.Post, settings.EndpointUri(call.Kind))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(RequestBodyRewriter.Rewrite(call.Body, call.Summary, call.UpstreamModel, call.AskForStreamUsage)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (settings.KeyHeader is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return ValueTask.FromResult(request);
    }

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        OpenAiCompatibleAdapter.RelayBytesAsync(context, response, body, call, cancellationToken);

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => OpenAiCompatibleErrors.Parse(body, status);
}
