using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Cohere's v2 API on 127.0.0.1: <c>POST /v2/chat</c> (plain, or streamed as Cohere's typed SSE events, each split
/// across two writes, ending with <c>data: [DONE]</c>) and <c>POST /v2/embed</c>. As strict as Cohere where a gateway
/// could go wrong, with Cohere's error body <c>{"id", "message"}</c>: the key must come as <c>Authorization: Bearer</c>,
/// the body must be JSON, unknown fields are refused, roles and content parts are checked, a tool result must answer an
/// earlier call (<see cref="CohereRequestCheck"/>), and models must be Cohere's (<c>command…</c> to chat, <c>embed-…</c>
/// to embed). Answers are <see cref="CohereReply"/>'s and <see cref="CohereEmbed"/>'s.
/// </summary>
public sealed class FakeCohere : IAsyncDisposable
{
    /// <summary>The length of an embedding vector when the request asks for none.</summary>
    public const int DefaultEmbeddingDimensions = CohereEmbed.DefaultDimensions;

    /// <summary>The tokens Cohere's own preamble adds to a prompt: <c>usage.tokens</c> counts them, <c>billed_units</c> does not.</summary>
    public const int PreambleTokens = CohereReply.PreambleTokens;

    private readonly string _apiKey;
    private readonly ReceivedRequestLog _received = new(TimeProvider.System);
    private readonly FailureSteering _failure = new();
    private WebApplication _app = null!;

    private FakeCohere(string apiKey)
    {
        _apiKey = apiKey;
    }

    /// <summary>The server root, standing for <c>https://api.cohere.com</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>The <c>api_base</c> as LiteLLM takes it: the full chat URL, <c>{root}/v2/chat</c>.</summary>
    public Uri ChatUrl => new(Root, "/v2/chat");

    /// <summary>When set, the next requests fail with this status, in Cohere's body for it (429: a trial key's limit).</summary>
    public int? FailWithStatus { get => _failure.Status; set => _failure.Status = value; }

    /// <summary>With <see cref="FailWithStatus"/>: only this many next requests fail, then answers are normal again; null = all fail.</summary>
    public int? FailRemaining { get => _failure.Remaining; set => _failure.Remaining = value; }

    /// <summary>When set, a stream sends its events up to the first text (or plan) delta, then waits for this before the rest.</summary>
    public TaskCompletionSource? HoldStreamAfterFirstChunk { get; set; }

    /// <summary>When set, a stream's <c>message-end</c> carries this error (the generation failed after the stream began).</summary>
    public string? StreamError { get; set; }

    /// <summary>In how many deltas a streamed text (or tool plan) comes.</summary>
    public int StreamChunks { get; set; } = 3;

    /// <summary>Path, Authorization, body and headers of every request, refused ones and unknown paths included.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    public static async Task<FakeCohere> StartAsync(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var fake = new FakeCohere(apiKey);
        (fake._app, fake.Root) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v2/chat", c => fake.HandleAsync(c, fake.ChatAsync));
            app.MapPost("/v2/embed", c => fake.HandleAsync(c, fake.EmbedAsync));
            app.MapPost("/v2/rerank", c => fake.HandleAsync(c, fake.RerankAsync));
            app.MapFallback("{*path}", c => fake.HandleAsync(c, (_, _) => ErrorAsync(c, 404, $"path {c.Request.Path} not found")));
        });
        return fake;
    }

    /// <summary>The embedding the fake answers for <paramref name="text"/>.</summary>
    public static float[] ExpectedEmbedding(string text, int dimensions = DefaultEmbeddingDimensions) => EmbeddingVectors.Of(text, dimensions);

    /// <summary>Completes once this many requests (refused ones included) have been received.</summary>
    public Task WaitForRequestsAsync(int count) => _received.WaitForAsync(count);

    public async ValueTask DisposeAsync()
    {
        HoldStreamAfterFirstChunk?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["message"] = message });
    }

    // Cohere's words for each failure a test asks for.
    private static Task FailAsync(HttpContext context, int status, string model) => ErrorAsync(context, status, status switch
    {
        429 => "You are using a Trial key, which is limited to 20 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions",
        400 => "invalid request: too many tokens: size limit exceeded by 1124 tokens. Try using shorter or fewer inputs, or setting prompt_truncation='AUTO'.",
        404 => $"model '{model}' not found, make sure the correct model ID was used and that you have access to the model.",
        500 => "internal server error, this has been reported to our developers",
        503 => "service unavailable",
        _ => $"Fake Cohere failure {status}",
    });

    // Records the request and checks what every endpoint checks (key, JSON), then serves it; a caller that goes away ends it quietly.
    private async Task HandleAsync(HttpContext context, Func<HttpContext, JsonObject, Task> serve)
    {
        var received = await _received.RecordAsync(context);
        try
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.Length == 0)
            {
                await ErrorAsync(context, 401, "no api key supplied");
                return;
            }

            if (authorization != "Bearer " + _apiKey)
            {
                await ErrorAsync(context, 401, "invalid api token");
                return;
            }

            if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                await ErrorAsync(context, 400, $"invalid request: Content-Type must be application/json (got '{context.Request.ContentType}')");
                return;
            }

            JsonObject? request;
            try
            {
                request = JsonNode.Parse(received.Body) as JsonObject;
            }
            catch (JsonException)
            {
                request = null;
            }

            if (request is null)
            {
                await ErrorAsync(context, 400, "invalid request: the body must be a JSON object");
                return;
            }

            await serve(context, request);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
    }

    private async Task ChatAsync(HttpContext context, JsonObject request)
    {
        if (CohereRequestCheck.Check(request) is { } invalid)
        {
            await ErrorAsync(context, 400, invalid);
            return;
        }

        var model = CohereRequestCheck.Text(request["model"])!;
        if (_failure.Take() is { } status)
        {
            await FailAsync(context, status, model);
            return;
        }

        if (!model.StartsWith("command", StringComparison.Ordinal) && !model.StartsWith("c4ai-", StringComparison.Ordinal))
        {
            await FailAsync(context, 404, model);
            return;
        }

        var reply = new CohereReply(request, Guid.NewGuid().ToString());
        if (request["stream"]?.GetValueKind() != JsonValueKind.True)
        {
            await context.Response.WriteAsJsonAsync(reply.Response());
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var held = false;
        foreach (var (type, data) in reply.Events(StreamChunks, StreamError))
        {
            await SseWriter.WriteSplitAsync(context, $"event: {type}\ndata: {data.ToJsonString()}\n\n");
            if (!held && type is "content-delta" or "tool-plan-delta" && HoldStreamAfterFirstChunk is { } hold)
            {
                held = true;
                await hold.Task.WaitAsync(context.RequestAborted);
            }
        }

        await SseWriter.WriteSplitAsync(context, "data: [DONE]\n\n");
    }

    private async Task RerankAsync(HttpContext context, JsonObject request)
    {
        var model = CohereRequestCheck.Text(request["model"]) ?? "";
        if (request["query"] is null || request["documents"] is not JsonArray)
        {
            await ErrorAsync(context, 400, "invalid request: query and documents are required");
            return;
        }

        if (_failure.Take() is { } status)
        {
            await FailAsync(context, status, model);
            return;
        }

        if (!model.StartsWith("rerank-", StringComparison.Ordinal))
        {
            await FailAsync(context, 404, model);
            return;
        }

        await context.Response.WriteAsync(FakeMediaApi.RerankAnswer(request).ToJsonString());
    }

    private async Task EmbedAsync(HttpContext context, JsonObject request)
    {
        var (answer, invalid) = CohereEmbed.Answer(request, Guid.NewGuid().ToString());
        if (invalid is not null)
        {
            await ErrorAsync(context, 400, invalid);
            return;
        }

        var model = CohereRequestCheck.Text(request["model"])!;
        if (_failure.Take() is { } status)
        {
            await FailAsync(context, status, model);
            return;
        }

        if (!model.StartsWith("embed-", StringComparison.Ordinal))
        {
            await FailAsync(context, 404, model);
            return;
        }

        await context.Response.WriteAsJsonAsync(answer);
    }
}
