using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Cloudflare Workers AI's run API on 127.0.0.1: <c>POST /client/v4/accounts/{account}/ai/run/{model}</c>, answered
/// whole or (with <c>stream: true</c>) as server-sent <c>data:</c> events ending with <c>data: [DONE]</c>. As strict as
/// Cloudflare, in its envelope <c>{"success":false,"errors":[{"code","message"}],"result":null}</c>: the account in the
/// path must be this one, the token must come as <c>Authorization: Bearer</c>, the model must be a Workers AI model
/// (<c>@cf/…</c>, <c>@hf/…</c>), and the body must pass <see cref="CloudflareRequestCheck"/>. Answers are
/// <see cref="CloudflareReply"/>'s.
/// </summary>
public sealed class FakeCloudflare : IAsyncDisposable
{
    private readonly string _apiKey;
    private readonly ReceivedRequestLog _received = new(TimeProvider.System);
    private readonly FailureSteering _failure = new();
    private WebApplication _app = null!;

    private FakeCloudflare(string apiKey, string accountId)
    {
        _apiKey = apiKey;
        AccountId = accountId;
    }

    /// <summary>The server root, standing for <c>https://api.cloudflare.com</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>The only account the paths may name.</summary>
    public string AccountId { get; }

    /// <summary>The <c>api_base</c> as LiteLLM takes it: the URL up to and including <c>/ai/run/</c>, the model appended.</summary>
    public Uri RunPrefix => new(Root, $"/client/v4/accounts/{AccountId}/ai/run/");

    /// <summary>When set, the next requests fail with this status, in Cloudflare's envelope for it (429: out of capacity).</summary>
    public int? FailWithStatus { get => _failure.Status; set => _failure.Status = value; }

    /// <summary>With <see cref="FailWithStatus"/>: only this many next requests fail; null = all fail.</summary>
    public int? FailRemaining { get => _failure.Remaining; set => _failure.Remaining = value; }

    /// <summary>When set, a stream sends its first event and then waits for this before sending the rest.</summary>
    public TaskCompletionSource? HoldStreamAfterFirstChunk { get; set; }

    /// <summary>Tool calls in OpenAI's shape (<c>{id, type, function}</c>) rather than Workers AI's older <c>{name, arguments}</c>.</summary>
    public bool OpenAiToolCalls { get; set; }

    /// <summary>In how many events a streamed text comes.</summary>
    public int StreamChunks { get; set; } = 3;

    /// <summary>Path, Authorization, body and headers of every request, refused ones and unknown paths included.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    public static async Task<FakeCloudflare> StartAsync(string apiKey, string accountId = "0123456789abcdef0123456789abcdef")
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var fake = new FakeCloudflare(apiKey, accountId);
        (fake._app, fake.Root) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/client/v4/accounts/{account}/ai/run/{*model}", (HttpContext c, string account, string model) => fake.HandleAsync(c, account, model));
            app.MapFallback("{*path}", async c =>
            {
                await fake._received.RecordAsync(c);
                await ErrorAsync(c, 404, (7000, "No route for that URI"));
            });
        });
        return fake;
    }

    /// <summary>Completes once this many requests (refused ones included) have been received.</summary>
    public Task WaitForRequestsAsync(int count) => _received.WaitForAsync(count);

    public async ValueTask DisposeAsync()
    {
        HoldStreamAfterFirstChunk?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task ErrorAsync(HttpContext context, int status, params (int Code, string Message)[] errors)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["result"] = null,
            ["success"] = false,
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["code"] = e.Code, ["message"] = e.Message })]),
            ["messages"] = new JsonArray(),
        });
    }

    // Workers AI's code and words for each failure a test asks for.
    private static Task FailAsync(HttpContext context, int status, string model) => status switch
    {
        429 => ErrorAsync(context, 429, (3040, "Capacity temporarily exceeded, please try again.")),
        400 => ErrorAsync(context, 400, (5007, $"No such model {model} or task")),
        408 => ErrorAsync(context, 408, (3007, "Request timeout")),
        500 => ErrorAsync(context, 500, (3043, "Internal server error")),
        _ => ErrorAsync(context, status, (status, $"Fake Cloudflare failure {status}")),
    };

    private async Task HandleAsync(HttpContext context, string account, string model)
    {
        var received = await _received.RecordAsync(context);
        try
        {
            await ServeAsync(context, received.Body, account, model);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
    }

    private async Task ServeAsync(HttpContext context, string body, string account, string model)
    {
        if (account != AccountId)
        {
            await ErrorAsync(context, 400,
                (7003, $"Could not route to /client/v4/accounts/{account}/ai/run/{model}, perhaps your object identifier is invalid?"), (7000, "No route for that URI"));
            return;
        }

        if (context.Request.Headers.Authorization.ToString() != "Bearer " + _apiKey)
        {
            await ErrorAsync(context, 401, (10000, "Authentication error"));
            return;
        }

        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            await ErrorAsync(context, 400, (5006, "AiError: Bad input: Error: the body must be a JSON object"));
            return;
        }

        if (!model.StartsWith("@cf/", StringComparison.Ordinal) && !model.StartsWith("@hf/", StringComparison.Ordinal))
        {
            await FailAsync(context, 400, model);
            return;
        }

        if (CloudflareRequestCheck.Check(request) is { } invalid)
        {
            await ErrorAsync(context, 400, (5006, invalid));
            return;
        }

        if (_failure.Take() is { } status)
        {
            await FailAsync(context, status, model);
            return;
        }

        var reply = new CloudflareReply(request, OpenAiToolCalls);
        if (request["stream"]?.GetValueKind() != JsonValueKind.True)
        {
            await context.Response.WriteAsJsonAsync(reply.Response());
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var events = reply.Events(StreamChunks);
        for (var i = 0; i < events.Count; i++)
        {
            await SseWriter.WriteSplitAsync(context, $"data: {events[i]}\n\n");
            if (i == 0 && HoldStreamAfterFirstChunk is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }
        }
    }
}
