using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// An Azure OpenAI resource on 127.0.0.1: <c>/openai/deployments/{deployment}/...?api-version=...</c>, the key in an
/// <c>api-key</c> header or an Entra token as <c>Authorization: Bearer</c>, Azure's own 401 and 404 bodies, and its
/// content filter 400; a body that is not a JSON object is a 400, as OpenAI words it. Known deployments answer in OpenAI's format.
/// </summary>
public sealed class FakeAzureOpenAI : IAsyncDisposable
{
    private readonly string _apiKey;
    private readonly string _adToken;
    private readonly HashSet<string> _deployments;
    private readonly ReceivedRequestLog _received = new(TimeProvider.System);
    private WebApplication _app = null!;

    private FakeAzureOpenAI(string apiKey, string adToken, IEnumerable<string> deployments)
    {
        _apiKey = apiKey;
        _adToken = adToken;
        _deployments = [.. deployments];
    }

    /// <summary>The resource URL to configure as <c>api_base</c>, like <c>https://name.openai.azure.com</c>.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>When true, chat requests are refused by the content filter (400, <c>code: content_filter</c>).</summary>
    public bool ContentFilter { get; set; }

    /// <summary>When set, speech sends the first half of its audio and waits for this before the rest.</summary>
    public TaskCompletionSource? HoldSpeechAfterFirstHalf { get; set; }

    /// <summary>Path and query of each request, its Authorization header, body and headers.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    public static async Task<FakeAzureOpenAI> StartAsync(string apiKey, string adToken, params string[] deployments)
    {
        var fake = new FakeAzureOpenAI(apiKey, adToken, deployments);
        (fake._app, fake.ApiBase) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/openai/deployments/{deployment}/chat/completions", (HttpContext c, string deployment) => fake.HandleAsync(c, deployment, "chat"));
            app.MapPost("/openai/deployments/{deployment}/completions", (HttpContext c, string deployment) => fake.HandleAsync(c, deployment, "completion"));
            app.MapPost("/openai/deployments/{deployment}/embeddings", (HttpContext c, string deployment) => fake.HandleAsync(c, deployment, "embedding"));
            app.MapPost("/openai/deployments/{deployment}/images/generations", (HttpContext c, string deployment) => fake.HandleAsync(c, deployment, "images"));
            app.MapPost("/openai/deployments/{deployment}/audio/speech", (HttpContext c, string deployment) => fake.HandleAsync(c, deployment, "speech"));
        });
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string deployment, string kind)
    {
        var body = (await _received.RecordAsync(context)).Body;

        var keyOk = context.Request.Headers["api-key"].ToString() == _apiKey;
        var tokenOk = context.Request.Headers.Authorization.ToString() == "Bearer " + _adToken;
        if (!keyOk && !tokenOk)
        {
            await ErrorAsync(context, 401, new JsonObject { ["code"] = "401", ["message"] = "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource." });
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Query["api-version"]))
        {
            await ErrorAsync(context, 404, new JsonObject { ["code"] = "404", ["message"] = "Resource not found" });
            return;
        }

        if (!_deployments.Contains(deployment))
        {
            await ErrorAsync(context, 404, new JsonObject { ["code"] = "DeploymentNotFound", ["message"] = "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again." });
            return;
        }

        if (FakeRequests.ParseObject(body) is not { } request)
        {
            await ErrorAsync(context, 400, new JsonObject { ["message"] = FakeUpstream.NotJsonMessage, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = null });
            return;
        }

        if (ContentFilter && kind == "chat")
        {
            await ErrorAsync(context, 400, new JsonObject
            {
                ["message"] = "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                ["type"] = null,
                ["param"] = "prompt",
                ["code"] = "content_filter",
                ["status"] = 400,
            });
            return;
        }

        if (FakeMediaApi.Serves(kind))
        {
            // Azure's body carries no model (the deployment is in the path); the fake's answers name one.
            request["model"] ??= deployment;
            await FakeMediaApi.AnswerAsync(context, kind, request, HoldSpeechAfterFirstHalf);
            return;
        }

        if (kind == "embedding")
        {
            await context.Response.WriteAsJsonAsync(new
            {
                @object = "list",
                data = new[] { new { @object = "embedding", index = 0, embedding = new[] { 0.5f, 0.25f } } },
                model = "text-embedding-3-small",
                usage = new { prompt_tokens = 2, total_tokens = 2 },
            });
            return;
        }

        if (request["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streamed) && streamed)
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var (piece, finish) in new[] { ("Hello ", (string?)null), ("from ", null), ("Azure.", null), ((string?)null, "stop") })
            {
                var chunk = new { id = "chatcmpl-azure", @object = "chat.completion.chunk", created = 1_700_000_000, model = "gpt-4o-2024-08-06", choices = new[] { new { index = 0, delta = new { content = piece }, finish_reason = finish } } };
                await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
            return;
        }

        await context.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-azure",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "gpt-4o-2024-08-06",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = $"Hello from Azure deployment {deployment}." }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 4, completion_tokens = 5, total_tokens = 9 },
        });
    }

    private static Task ErrorAsync(HttpContext context, int status, JsonObject error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = error });
    }
}
