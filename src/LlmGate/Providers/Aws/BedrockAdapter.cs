using System.Net.Http.Headers;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Providers.Aws;

/// <summary>
/// AWS Bedrock (<c>bedrock/</c>, <c>bedrock/converse/</c>, <c>bedrock/invoke/</c>). Chat goes to the Converse API
/// (<c>/model/{id}/converse</c>, <c>/converse-stream</c>: a binary event stream translated frame by frame) unless the
/// model is under <c>invoke/</c>, where Claude gets Anthropic's own body on InvokeModel. Embeddings use InvokeModel with
/// Titan's or Cohere's body. Every call is signed with SigV4, or carries a Bedrock API key as a bearer.
/// </summary>
internal sealed class BedrockAdapter(TimeProvider time) : IProviderAdapter
{
    public const string AdapterName = "bedrock";

    private const string InvokePrefix = "invoke/";
    private const string ConversePrefix = "converse/";

    public string Name => AdapterName;

    public IProviderSettings? Configure(ProviderEndpoint endpoint, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        string? Param(string name) => endpoint.Param(name) ?? (getEnvironmentVariable(name.ToUpperInvariant()) is { Length: > 0 } value ? value : null);
        var region = Param("aws_region_name") ?? BedrockSettings.RegionOfArn(ModelId(endpoint.UpstreamModelTemplate))
            ?? getEnvironmentVariable("AWS_REGION_NAME") ?? getEnvironmentVariable("AWS_REGION") ?? getEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? BedrockSettings.DefaultRegion;
        var runtime = endpoint.Config.ApiBase ?? Param("aws_bedrock_runtime_endpoint") ?? $"https://bedrock-runtime.{region}.amazonaws.com";
        var bearer = endpoint.ApiKey;
        return new BedrockSettings(region, runtime, bearer, bearer is null ? AwsCredentialResolver.Resolve(Param, getEnvironmentVariable, region, time) : null);
    }

    public async ValueTask<HttpRequestMessage> CreateRequestAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var settings = (BedrockSettings)call.Endpoint.Settings!;
        var modelId = ModelId(call.UpstreamModel);
        var (operation, body) = Translate(call, modelId);
        var request = ProviderRequests.PostJson(settings.OperationUri(modelId, operation), body);
        try
        {
            if (settings.BearerToken is { } token)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            }
            else
            {
                var credentials = await settings.Credentials!.GetAsync(cancellationToken);
                AwsRequestSigner.Sign(request, body, credentials, settings.Region, AwsRequestSigner.BedrockService, time.GetUtcNow());
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    public async Task<TokenUsage?> RelayAsync(HttpContext context, HttpResponseMessage response, Stream body, ProviderCall call, CancellationToken cancellationToken)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var modelId = ModelId(call.UpstreamModel);
        var invoke = IsInvoke(call.UpstreamModel);
        if (call.Kind == ProxyEndpointKind.ChatCompletions && call.Stream)
        {
            IStreamTranslator translator = invoke
                ? new BedrockAnthropicStreamTranslator(call.UpstreamModel, created, ChatStreamOptions.IncludeUsage(call.Body.Span))
                : new BedrockConverseStreamTranslator(call.UpstreamModel, created, ChatStreamOptions.IncludeUsage(call.Body.Span), JsonMode(call));
            return await TranslatedStreamRelay.RelayAsync(context, AwsEventStreams.ReadAsync(body, cancellationToken), call, translator, AdapterName, cancellationToken);
        }

        var base64 = call.Kind == ProxyEndpointKind.Embeddings && OpenAiEmbeddings.WantsBase64(call.Body.Span);
        return await TranslatedAnswerRelay.RelayAsync(context, body, call, answer =>
        {
            TokenUsage usage;
            var translated = call.Kind switch
            {
                ProxyEndpointKind.Embeddings when IsTitan(modelId) => BedrockEmbeddings.FromTitan([answer], call.UpstreamModel, base64, out usage),
                // Cohere's answer counts no tokens; Bedrock says them in a header.
                ProxyEndpointKind.Embeddings => BedrockEmbeddings.FromCohere(answer.Span, call.UpstreamModel, base64, InputTokens(response), out usage),
                _ when invoke => AnthropicResponseTranslator.Translate(answer.Span, call.UpstreamModel, created, out usage),
                _ => BedrockConverseResponseTranslator.Translate(answer.Span, call.UpstreamModel, created, JsonMode(call), out usage),
            };
            return (translated, usage);
        }, AdapterName, "a Bedrock response", cancellationToken);
    }

    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status) => BedrockErrors.Parse(body, status);

    // The exception's name is in x-amzn-ErrorType (`ThrottlingException:http://internal.amazon.com/...`), not always in the body.
    public UpstreamError ParseError(ReadOnlySpan<byte> body, int status, HttpResponseHeaders headers) =>
        BedrockErrors.Parse(body, status, headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.FirstOrDefault() : null);

    // `bedrock/converse/<id>` and `bedrock/invoke/<id>` name the route; the rest is the model id (or ARN).
    private static string ModelId(string upstreamModel) =>
        upstreamModel.StartsWith(InvokePrefix, StringComparison.Ordinal) ? upstreamModel[InvokePrefix.Length..]
        : upstreamModel.StartsWith(ConversePrefix, StringComparison.Ordinal) ? upstreamModel[ConversePrefix.Length..]
        : upstreamModel;

    private static bool IsInvoke(string upstreamModel) => upstreamModel.StartsWith(InvokePrefix, StringComparison.Ordinal);

    private static bool IsTitan(string modelId) => modelId.Contains("amazon.titan-embed", StringComparison.Ordinal);

    private static (string Operation, byte[] Body) Translate(ProviderCall call, string modelId)
    {
        switch (call.Kind)
        {
            case ProxyEndpointKind.Embeddings when IsTitan(modelId):
                var bodies = UnsupportedParams.Translate(call, body => BedrockEmbeddings.ToTitan(body.Span));
                return bodies.Count == 1
                    ? ("invoke", bodies[0])
                    : throw new ProviderRequestException("Titan embeddings on provider bedrock take one input per request; send a single string.", "input");
            case ProxyEndpointKind.Embeddings:
                return ("invoke", UnsupportedParams.Translate(call, body => BedrockEmbeddings.ToCohere(body.Span)));
            case ProxyEndpointKind.ChatCompletions when IsInvoke(call.UpstreamModel):
                return (call.Stream ? "invoke-with-response-stream" : "invoke", UnsupportedParams.Translate(call, body => BedrockAnthropicInvoke.Translate(body.Span)));
            case ProxyEndpointKind.ChatCompletions:
                var converse = BedrockConverseRequestTranslator.Translate(call.Body.Span, call.DropUnsupportedParams, modelId);
                return (call.Stream ? "converse-stream" : "converse", converse.Body);
            default:
                throw new ProviderRequestException($"/completions is not supported by provider {AdapterName}; use /chat/completions.");
        }
    }

    // The answer is read as the request was written: a JSON schema asked for became a forced tool call to undo.
    private static bool JsonMode(ProviderCall call)
    {
        var reader = new Utf8JsonReader(call.Body.Span);
        return reader.Read() && JsonProperties.Find(ref reader, "response_format"u8) && JsonProperties.Find(ref reader, "type"u8)
            && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("json_schema"u8);
    }

    private static long InputTokens(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Amzn-Bedrock-Input-Token-Count", out var values) && long.TryParse(values.FirstOrDefault(), out var tokens) ? tokens : 0;
}
