using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Google's Gemini API on 127.0.0.1, in one of two modes. <b>AI Studio</b> (<see cref="StartAiStudioAsync"/>):
/// <c>/v1beta/models/{model}:generateContent | :streamGenerateContent | :batchEmbedContents</c>, the key as
/// <c>x-goog-api-key</c> (or <c>?key=</c>, noted in <see cref="KeySentInUrl"/>). <b>Vertex AI</b>
/// (<see cref="StartVertexAsync"/>): <c>/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent
/// | :streamGenerateContent | :predict</c> and Claude's <c>…/publishers/anthropic/models/{model}:rawPredict | :streamRawPredict</c>,
/// a <c>Bearer</c> token that its <see cref="FakeGoogleTokenServer"/> issued and that has not expired.
/// <para>
/// It refuses as Google does, in Google's error envelope: a missing or wrong credential, another project or location,
/// an unknown method, a body that is not JSON, and any request Google's checks would refuse (unknown fields, a
/// <c>model</c> in the body, a bad role, a part with two kinds of data, a function response that answers no call,
/// a JSON Schema word outside Gemini's subset…). Field names are taken in either spelling, camelCase or snake_case.
/// Claude on Vertex is Anthropic's Messages API (<see cref="AnthropicMessages"/>) without <c>model</c> and with
/// <c>anthropic_version: vertex-2023-10-16</c>; its refusals keep Anthropic's error body.
/// </para>
/// <para>
/// <c>streamGenerateContent</c> with <c>?alt=sse</c> answers server-sent events (<c>data: {…}</c>, no <c>[DONE]</c>);
/// without <c>alt</c> (or with <c>alt=json</c>) it answers, as Google does, one JSON array of the same chunks.
/// </para>
/// </summary>
public sealed class FakeGemini : IAsyncDisposable
{
    /// <summary>The length of an embedding vector when the request asks for none.</summary>
    public const int DefaultEmbeddingDimensions = 8;

    private const string AiStudioHost = "generativelanguage.googleapis.com";
    private const string VertexHost = "aiplatform.googleapis.com";

    private const string BadCredentials =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. "
        + "See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    private readonly string? _apiKey;
    private readonly FakeGoogleTokenServer? _tokens;
    private readonly TimeProvider _time;
    private readonly ReceivedRequestLog _received;
    private readonly FailureSteering _failure = new();
    private WebApplication _app = null!;
    private int _responses;
    private int _keyInUrl;

    private FakeGemini(string? apiKey, FakeGoogleTokenServer? tokens, string? project, string? location, TimeProvider time)
    {
        _apiKey = apiKey;
        _tokens = tokens;
        Project = project;
        Location = location;
        _time = time;
        _received = new ReceivedRequestLog(time);
    }

    /// <summary>The server root, standing for <c>https://generativelanguage.googleapis.com</c> or <c>https://{location}-aiplatform.googleapis.com</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>True in Vertex AI mode, false in AI Studio mode.</summary>
    public bool IsVertex => _tokens is not null;

    /// <summary>The only project the Vertex paths may name (null in AI Studio mode).</summary>
    public string? Project { get; }

    /// <summary>The only location the Vertex paths may name (null in AI Studio mode).</summary>
    public string? Location { get; }

    /// <summary>When set, the next requests fail with this status, in Google's envelope for it (429 with a <c>RetryInfo</c>).</summary>
    public int? FailWithStatus { get => _failure.Status; set => _failure.Status = value; }

    /// <summary>With <see cref="FailWithStatus"/>: only this many next requests fail, then answers are normal again; null = all fail.</summary>
    public int? FailRemaining { get => _failure.Remaining; set => _failure.Remaining = value; }

    /// <summary>The <c>retryDelay</c> of a 429's <c>RetryInfo</c> detail.</summary>
    public string RetryDelay { get; set; } = "1s";

    /// <summary>When true, <c>generateContent</c> answers 200 with <c>promptFeedback.blockReason: SAFETY</c> and no candidates (a stream: that as its only event).</summary>
    public bool BlockPrompt { get; set; }

    /// <summary>When true, <c>generateContent</c> answers one candidate with <c>finishReason: SAFETY</c>, safety ratings and no content.</summary>
    public bool SafetyFinish { get; set; }

    /// <summary>When set, a stream sends its first event and then waits for this before sending the rest.</summary>
    public TaskCompletionSource? HoldStreamAfterFirstChunk { get; set; }

    /// <summary>In how many chunks a streamed text comes (a thought, when asked for, comes in one more before them).</summary>
    public int StreamChunks { get; set; } = 3;

    /// <summary>When true, stream events end with <c>\r\n\r\n</c> rather than <c>\n\n</c> (both are valid SSE).</summary>
    public bool StreamWithCrLf { get; set; }

    /// <summary>Path and query, Authorization, body and headers of every request, refused ones and unknown paths included.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    /// <summary>True once any request carried the key in its URL (<c>?key=</c>): what a gateway should never do.</summary>
    public bool KeySentInUrl => Volatile.Read(ref _keyInUrl) == 1;

    /// <summary>Google AI Studio: requests must carry <paramref name="apiKey"/> as <c>x-goog-api-key</c> (or <c>?key=</c>).</summary>
    /// <param name="time">The clock that stamps <see cref="ReceivedRequest.ArrivedAt"/>; the system clock by default.</param>
    public static Task<FakeGemini> StartAiStudioAsync(string apiKey, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        return StartAsync(new FakeGemini(apiKey, null, null, null, time ?? TimeProvider.System));
    }

    /// <summary>Vertex AI: requests must carry a live token of <paramref name="tokens"/> and name this project and location.</summary>
    public static Task<FakeGemini> StartVertexAsync(FakeGoogleTokenServer tokens, string project = "fake-project", string location = "us-central1")
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return StartAsync(new FakeGemini(null, tokens, project, location, tokens.Time));
    }

    /// <summary>
    /// The <c>api_base</c> for a Gemini model: the URL up to and including <c>…/models/{model}</c>, to which the
    /// gateway appends <c>:{method}</c> (and <c>?alt=sse</c> to stream).
    /// </summary>
    public Uri ApiBaseFor(string model) => IsVertex
        ? new Uri(Root, $"/v1/projects/{Project}/locations/{Location}/publishers/google/models/{model}")
        : new Uri(Root, $"/v1beta/models/{model}");

    /// <summary>Vertex only: the URL up to and including <c>…/publishers/anthropic/models/{model}</c>, for <c>:rawPredict</c> and <c>:streamRawPredict</c>.</summary>
    public Uri AnthropicApiBaseFor(string model) => IsVertex
        ? new Uri(Root, $"/v1/projects/{Project}/locations/{Location}/publishers/anthropic/models/{model}")
        : throw new InvalidOperationException("Claude is served in Vertex mode only.");

    /// <summary>The embedding the fake answers for <paramref name="text"/> (a request's text parts are joined by a space).</summary>
    public static float[] ExpectedEmbedding(string text, int dimensions = DefaultEmbeddingDimensions) => EmbeddingVectors.Of(text, dimensions);

    /// <summary>Completes once this many requests (refused ones included) have been received.</summary>
    public Task WaitForRequestsAsync(int count) => _received.WaitForAsync(count);

    public async ValueTask DisposeAsync()
    {
        HoldStreamAfterFirstChunk?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<FakeGemini> StartAsync(FakeGemini fake)
    {
        (fake._app, fake.Root) = await LoopbackServer.StartAsync(app =>
        {
            if (fake.IsVertex)
            {
                app.MapPost("/{version}/projects/{project}/locations/{location}/publishers/{publisher}/models/{*target}",
                    (HttpContext c, string version, string project, string location, string publisher, string target) =>
                        fake.HandleAsync(c, body => fake.RouteVertexAsync(c, body, version, project, location, publisher, target)));
            }
            else
            {
                app.MapPost("/v1beta/models/{*target}", (HttpContext c, string target) => fake.HandleAsync(c, body => fake.RouteAiStudioAsync(c, body, target)));
            }

            app.MapFallback("{*path}", c => fake.HandleAsync(c, _ => NotFoundAsync(c)));
        });
        return fake;
    }

    private static Task NotFoundAsync(HttpContext context) =>
        GoogleError.WriteAsync(context, 404, $"The requested URL {context.Request.Path} was not found on this server, or the method is not supported.");

    private static (string Model, string Method) Split(string target)
    {
        var colon = target.LastIndexOf(':');
        return colon <= 0 ? (target, "") : (target[..colon], target[(colon + 1)..]);
    }

    // Records the request, then serves it; a caller that goes away mid-answer ends it quietly.
    private async Task HandleAsync(HttpContext context, Func<string, Task> serve)
    {
        var received = await _received.RecordAsync(context);
        try
        {
            await serve(received.Body);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
    }

    private async Task RouteAiStudioAsync(HttpContext context, string body, string target)
    {
        if (context.Request.Query.ContainsKey("key"))
        {
            Volatile.Write(ref _keyInUrl, 1);
        }

        if (await RefuseKeyAsync(context))
        {
            return;
        }

        var (model, method) = Split(target);
        if (method is not ("generateContent" or "streamGenerateContent" or "batchEmbedContents"))
        {
            await NotFoundAsync(context);
            return;
        }

        await ServeGeminiAsync(context, body, model, method);
    }

    private async Task RouteVertexAsync(HttpContext context, string body, string version, string project, string location, string publisher, string target)
    {
        if (await RefuseTokenAsync(context))
        {
            return;
        }

        var (model, method) = Split(target);
        var resource = $"projects/{project}/locations/{location}/publishers/{publisher}/models/{model}";
        if (project != Project)
        {
            await GoogleError.WriteAsync(context, 403, $"Permission 'aiplatform.endpoints.predict' denied on resource '//{VertexHost}/{resource}' (or it may not exist).",
                GoogleError.ErrorInfo("IAM_PERMISSION_DENIED", VertexHost, new JsonObject { ["permission"] = "aiplatform.endpoints.predict", ["resource"] = resource }));
            return;
        }

        if (location != Location)
        {
            await GoogleError.WriteAsync(context, 404, $"Publisher Model `{resource}` not found.");
            return;
        }

        switch (version, publisher, method)
        {
            case ("v1" or "v1beta1", "google", "generateContent" or "streamGenerateContent" or "predict"):
                await ServeGeminiAsync(context, body, model, method);
                return;
            case ("v1" or "v1beta1", "anthropic", "rawPredict" or "streamRawPredict"):
                await ServeClaudeAsync(context, body, model);
                return;
            default:
                await NotFoundAsync(context);
                return;
        }
    }

    // AI Studio takes an API key; an OAuth token it did not issue is refused before the key is looked at.
    private async Task<bool> RefuseKeyAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0)
        {
            await GoogleError.WriteAsync(context, 401, BadCredentials,
                GoogleError.ErrorInfo("ACCESS_TOKEN_TYPE_UNSUPPORTED", "googleapis.com", new JsonObject { ["service"] = AiStudioHost }));
            return true;
        }

        string[] presented = [.. new[] { context.Request.Headers["x-goog-api-key"].ToString(), context.Request.Query["key"].ToString() }.Where(k => k.Length > 0)];
        if (presented.Length == 0)
        {
            await GoogleError.WriteAsync(context, 403,
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
            return true;
        }

        if (presented.Any(key => key != _apiKey))
        {
            await GoogleError.WriteAsync(context, 400, "API key not valid. Please pass a valid API key.", GoogleError.ErrorInfo("API_KEY_INVALID", "googleapis.com"));
            return true;
        }

        return false;
    }

    private async Task<bool> RefuseTokenAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var service = new JsonObject { ["service"] = VertexHost };
        if (authorization.Length == 0)
        {
            await GoogleError.WriteAsync(context, 401,
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. "
                + "See https://developers.google.com/identity/sign-in/web/devconsole-project.",
                GoogleError.ErrorInfo("CREDENTIALS_MISSING", "googleapis.com", service));
            return true;
        }

        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : "";
        if (!_tokens!.IsValid(token))
        {
            var reason = _tokens.WasIssued(token) ? "ACCESS_TOKEN_EXPIRED" : "ACCESS_TOKEN_TYPE_UNSUPPORTED";
            await GoogleError.WriteAsync(context, 401, BadCredentials, GoogleError.ErrorInfo(reason, "googleapis.com", service));
            return true;
        }

        return false;
    }

    private static JsonObject? ParseObject(string body, out string error)
    {
        error = "";
        try
        {
            if (JsonNode.Parse(body) is JsonObject request)
            {
                return request;
            }

            error = "Invalid JSON payload received. Root element must be a message.";
        }
        catch (JsonException)
        {
            error = "Invalid JSON payload received. Unexpected token.";
        }

        return null;
    }

    private async Task ServeGeminiAsync(HttpContext context, string body, string model, string method)
    {
        if (ParseObject(body, out var notJson) is not { } request)
        {
            await GoogleError.InvalidArgumentAsync(context, notJson);
            return;
        }

        if (_failure.Take() is { } status)
        {
            await FailAsync(context, status, model, method);
            return;
        }

        var (answer, invalid) = method switch
        {
            "batchEmbedContents" => GeminiEmbeddings.Batch(request, model),
            "predict" => GeminiEmbeddings.Predict(request),
            _ => (null, GeminiRequestCheck.Check(request)),
        };
        if (invalid is not null)
        {
            await GoogleError.InvalidArgumentAsync(context, invalid);
            return;
        }

        if (answer is not null)
        {
            await context.Response.WriteAsJsonAsync(answer);
            return;
        }

        var createTime = IsVertex ? _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) : null;
        var reply = new GeminiReply(request, model, $"fake-response-{Interlocked.Increment(ref _responses)}", createTime);
        List<JsonObject> events = BlockPrompt ? [reply.Blocked()] : SafetyFinish ? [reply.SafetyStopped()] : reply.Chunks(StreamChunks);
        if (method != "streamGenerateContent")
        {
            await context.Response.WriteAsJsonAsync(BlockPrompt || SafetyFinish ? events[0] : reply.Response());
            return;
        }

        switch (context.Request.Query["alt"].ToString())
        {
            case "sse":
                await StreamSseAsync(context, events);
                return;
            case "" or "json":
                await StreamJsonArrayAsync(context, events);
                return;
            default:
                await GoogleError.InvalidArgumentAsync(context, $"Invalid value for alt: \"{context.Request.Query["alt"]}\". Use alt=sse for server-sent events or alt=json.");
                return;
        }
    }

    private async Task StreamSseAsync(HttpContext context, List<JsonObject> events)
    {
        context.Response.ContentType = "text/event-stream";
        var end = StreamWithCrLf ? "\r\n\r\n" : "\n\n";
        for (var i = 0; i < events.Count; i++)
        {
            await SseWriter.WriteSplitAsync(context, $"data: {events[i].ToJsonString()}{end}");
            if (i == 0 && HoldStreamAfterFirstChunk is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }
        }
    }

    // Without alt=sse Google streams one JSON array, its elements written as they come.
    private async Task StreamJsonArrayAsync(HttpContext context, List<JsonObject> events)
    {
        context.Response.ContentType = "application/json; charset=UTF-8";
        for (var i = 0; i < events.Count; i++)
        {
            await SseWriter.WriteSplitAsync(context, (i == 0 ? "[" : "\r\n,") + events[i].ToJsonString());
            if (i == 0 && HoldStreamAfterFirstChunk is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }
        }

        await context.Response.WriteAsync("]", context.RequestAborted);
    }

    private Task FailAsync(HttpContext context, int status, string model, string method)
    {
        var retry = new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = RetryDelay };
        return (status, IsVertex) switch
        {
            (429, false) => GoogleError.WriteAsync(context, 429,
                "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
                new JsonObject
                {
                    ["@type"] = "type.googleapis.com/google.rpc.QuotaFailure",
                    ["violations"] = new JsonArray(new JsonObject
                    {
                        ["quotaMetric"] = "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                        ["quotaId"] = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                        ["quotaDimensions"] = new JsonObject { ["location"] = "global", ["model"] = model },
                        ["quotaValue"] = "10",
                    }),
                },
                retry),
            (429, true) => GoogleError.WriteAsync(context, 429,
                "Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.", retry),
            (503, _) => GoogleError.WriteAsync(context, 503, "The model is overloaded. Please try again later."),
            (500, _) => GoogleError.WriteAsync(context, 500, "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"),
            (400, _) => GoogleError.WriteAsync(context, 400, "Request contains an invalid argument."),
            (403, _) => GoogleError.WriteAsync(context, 403, "The caller does not have permission"),
            (404, false) => GoogleError.WriteAsync(context, 404,
                $"models/{model} is not found for API version v1beta, or is not supported for {method}. Call ListModels to see the list of available models and their supported methods."),
            (404, true) => GoogleError.WriteAsync(context, 404,
                $"Publisher Model `projects/{Project}/locations/{Location}/publishers/google/models/{model}` was not found or your project does not have access to it. "
                + "Please ensure you are using a valid model version. For more information, see: https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions"),
            (504, _) => GoogleError.WriteAsync(context, 504, "Deadline expired before operation could complete."),
            _ => GoogleError.WriteAsync(context, status, $"Fake Gemini failure {status}"),
        };
    }

    // Anthropic's Messages API behind Vertex: Vertex's quota refusal is Google's; everything else is Anthropic's.
    private async Task ServeClaudeAsync(HttpContext context, string body, string model)
    {
        if (AnthropicMessages.Parse(body, out var notJson) is not { } request)
        {
            await AnthropicMessages.ErrorAsync(context, 400, "invalid_request_error", notJson);
            return;
        }

        if (_failure.Take() is { } status)
        {
            await (status == 429
                ? GoogleError.WriteAsync(context, 429,
                    $"Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-{model.Split('@')[0]}. "
                    + "Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.")
                : AnthropicMessages.FailAsync(context, status));
            return;
        }

        if (AnthropicMessages.Validate(request, AnthropicDialect.Vertex) is { } invalid)
        {
            await AnthropicMessages.ErrorAsync(context, 400, "invalid_request_error", invalid);
            return;
        }

        await AnthropicMessages.AnswerAsync(context, request, model, null);
    }
}
