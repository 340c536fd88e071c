using System.Collections.Concurrent;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers.Google;

/// <summary>
/// Vertex AI (<c>vertex_ai/</c>): Gemini models on <c>publishers/google</c> (<c>:generateContent</c>,
/// <c>:streamGenerateContent?alt=sse</c>, embeddings on <c>:predict</c>) and Claude on <c>publishers/anthropic</c>
/// (<c>:rawPredict</c>, <c>:streamRawPredict</c>) with Anthropic's own translation. Every call carries an OAuth2
/// access token from the deployment's Google credentials.
/// </summary>
internal sealed class VertexAiAdapter(TimeProvider time) : IProviderAdapter
{
    public const string AdapterName = "vertex_ai";

    private readonly AnthropicAdapter _anthropic = new(time);

    // One token cache per credentials, however many deployments share them.
    private readonly ConcurrentDictionary<string, GoogleAccessTokens> _tokens = new(StringComparer.Ordinal);
    private readonly Lazy<GoogleAccessTokens> _applicationDefault = new(GoogleAccessTokens.ApplicationDefault);

    public string Name => AdapterName;

    public IProviderSettings? Configure(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var tokens = Credentials(endpoint, getEnvironmentVariable);
        var project = endpoint.Param("vertex_project") ?? endpoint.Param("vertex_ai_project")
            ?? getEnvironmentVariable("VERTEXAI_PROJECT") ?? getEnvironmentVariable("VERTEX_PROJECT") ?? tokens.ProjectId;
        var location = endpoint.Param("vertex_location") ?? endpoint.Param("vertex_ai_location")
            ?? getEnvironmentVariable("VERTEXAI_LOCATION") ?? getEnvironmentVariable("VERTEX_LOCATION") ?? VertexSettings.DefaultLocation;
        return new VertexSettings(project, location, tokens, endpoint.Config.ApiBase);
    }

    public async ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var settings = (VertexSettings)call.Endpoint.Settings!;
        var model = Model(call.UpstreamModel);
        HttpRequestMessage request;
        if (IsClaude(model))
        {
            if (call.Kind != ProxyEndpointKind.ChatCompletions)
            {
                throw new ProviderRequestException($"Only /chat/completions is supported for Claude on provider {AdapterName}.");
            }

            var body = UnsupportedParams.Translate(call, body => AnthropicRequestTranslator.TranslateForVertex(body.Span, call.Stream));
            request = ProviderRequests.PostJson(settings.MethodUri("anthropic", model, call.Stream ? "streamRawPredict" : "rawPredict", stream: false), body);
        }
        else
        {
            var (method, stream, body) = GeminiWire.Translate(call, AdapterName, vertex: true);
            request = ProviderRequests.PostJson(settings.MethodUri("google", model, method, stream), body);
        }

        try
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + await settings.Tokens.GetTokenAsync(cancellationToken));
            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    public Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken) =>
        IsClaude(Model(call.UpstreamModel))
            ? _anthropic.RelayAsync(context, response, body, call, cancellationToken)
            : GeminiWire.RelayAsync(context, body, call, time.GetUtcNow().ToUnixTimeSeconds(), AdapterName, vertex: true, cancellationToken);

    // Claude's own errors keep Anthropic's shape on Vertex; Vertex's (quota, auth) come in Google's envelope.
    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) =>
        IsAnthropicError(body) ? _anthropic.ParseError(body, status) : GoogleErrors.Parse(body, status);

    // `vertex_ai/gemini/<id>` names the model <id>, as in LiteLLM.
    private static string Model(string upstreamModel) =>
        upstreamModel.StartsWith("gemini/", StringComparison.Ordinal) ? upstreamModel["gemini/".Length..] : upstreamModel;

    private static bool IsClaude(string model) => model.StartsWith("claude", StringComparison.OrdinalIgnoreCase);

    private static bool IsAnthropicError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return reader.Read() && JsonProperties.Find(ref reader, "type"u8)
                && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("error"u8);
        }
        catch (JsonException)
        {
            return false; // not JSON: Google's fallback describes it
        }
    }

    // LiteLLM's order: vertex_credentials, VERTEXAI_CREDENTIALS, GOOGLE_APPLICATION_CREDENTIALS, then what Google's
    // Application Default Credentials find when the first call needs a token.
    private GoogleAccessTokens Credentials(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable)
    {
        (string Value, string Setting)? source =
            endpoint.Param("vertex_credentials") is { } credentials ? (credentials, "litellm_params.vertex_credentials")
            : endpoint.Param("vertex_ai_credentials") is { } aiCredentials ? (aiCredentials, "litellm_params.vertex_ai_credentials")
            : getEnvironmentVariable("VERTEXAI_CREDENTIALS") is { } variable ? (variable, "VERTEXAI_CREDENTIALS")
            : getEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS") is { } path ? (path, "GOOGLE_APPLICATION_CREDENTIALS")
            : null;
        if (source is not { } found)
        {
            return _applicationDefault.Value;
        }

        if (_tokens.TryGetValue(found.Value, out var cached))
        {
            return cached;
        }

        return _tokens.GetOrAdd(found.Value, GoogleAccessTokens.Load(found.Value, found.Setting, time));
    }
}
