using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Testing;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 that answers like OpenAI's API: chat completions (plain and SSE),
/// completions, embeddings and OpenAI's error shape. Tests steer it per request and read what it received.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;

    private FakeUpstream(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The base URL to use as a deployment's <c>api_base</c>, ending in <c>/v1</c>.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>When set, the next requests get this HTTP status with an OpenAI-style error body.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>With <see cref="FailWithStatus"/>: only this many next requests fail, then answers are normal again; null = all fail.</summary>
    public int? FailRemaining { get; set; }

    /// <summary>A <c>Retry-After</c> header on failures, e.g. "2".</summary>
    public string? RetryAfter { get; set; }

    /// <summary>The failure body's <c>error.code</c>, e.g. <c>context_length_exceeded</c>.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>The failure body's <c>error.message</c>; a default naming the status otherwise.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>When true, a stream sends its first chunk and then drops the connection (after <see cref="HoldStreamAfterFirstChunk"/>, if set).</summary>
    public bool AbortStreamAfterFirstChunk { get; set; }

    /// <summary>Headers added to every answer, e.g. an upstream LiteLLM's own <c>x-litellm-model-id</c>.</summary>
    public Dictionary<string, string> ExtraResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A slow upstream: each answer starts this long after the request arrived (real time).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Requests received and not answered yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>When true, requests never get an answer (until the caller goes away).</summary>
    public bool Hang { get; set; }

    /// <summary>Number of chunks a streamed answer has (besides the closing one).</summary>
    public int StreamChunks { get; set; } = 3;

    /// <summary>When set, a stream sends its first chunk and then waits for this before sending the rest.</summary>
    public TaskCompletionSource? HoldStreamAfterFirstChunk { get; set; }

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    /// <summary>Completes when the first request has been received (its body read).</summary>
    public Task RequestArrived => _arrived.Task;

    /// <summary>Completes when the caller of some request went away before its answer ended.</summary>
    public Task RequestCancelled => _cancelled.Task;

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new FakeUpstream(app);
        app.MapPost("/v1/chat/completions", context => upstream.HandleAsync(context, "chat"));
        app.MapPost("/v1/completions", context => upstream.HandleAsync(context, "completion"));
        app.MapPost("/v1/embeddings", context => upstream.HandleAsync(context, "embedding"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.ApiBase = new Uri(address.TrimEnd('/') + "/v1");
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        HoldStreamAfterFirstChunk?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string kind)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _received.Enqueue(new ReceivedRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        _arrived.TrySetResult();
        Interlocked.Increment(ref _inFlight);
        try
        {
            await AnswerAsync(context, kind, body);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            _cancelled.TrySetResult();
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            _cancelled.TrySetResult();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private bool TakeFailure()
    {
        if (FailWithStatus is null)
        {
            return false;
        }

        lock (_received)
        {
            if (FailRemaining is not { } remaining)
            {
                return true;
            }

            FailRemaining = remaining - 1;
            return remaining > 0;
        }
    }

    private async Task AnswerAsync(HttpContext context, string kind, string body)
    {
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted);
        }

        foreach (var (name, value) in ExtraResponseHeaders)
        {
            context.Response.Headers[name] = value;
        }

        if (TakeFailure() && FailWithStatus is { } status)
        {
            if (RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            var type = status switch { 429 => "rate_limit_error", < 500 => "invalid_request_error", _ => "server_error" };
            await WriteErrorAsync(context, status, ErrorMessage ?? $"Fake upstream failure {status}", type, null, ErrorCode);
            return;
        }

        var request = JsonNode.Parse(body)!.AsObject();
        var model = request["model"]?.GetValue<string>() ?? "";
        if (kind == "chat" && ValidateMessages(request) is { } invalid)
        {
            await WriteErrorAsync(context, 400, invalid.Message, "invalid_request_error", invalid.Param);
            return;
        }

        if (kind == "embedding")
        {
            await context.Response.WriteAsJsonAsync(new
            {
                @object = "list",
                data = new[] { new { @object = "embedding", index = 0, embedding = new[] { 0.1f, 0.2f, 0.3f } } },
                model,
                usage = new { prompt_tokens = 3, total_tokens = 3 },
            });
            return;
        }

        if (request["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(context, kind, model);
            return;
        }

        await context.Response.WriteAsJsonAsync(kind == "chat"
            ? new
            {
                id = "chatcmpl-fake",
                @object = "chat.completion",
                created = 1_700_000_000,
                model,
                choices = new object[] { new { index = 0, message = new { role = "assistant", content = "Hello from the fake upstream." }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 5, completion_tokens = 6, total_tokens = 11 },
            }
            : new
            {
                id = "cmpl-fake",
                @object = "text_completion",
                created = 1_700_000_000,
                model,
                choices = new object[] { new { index = 0, text = "Hello from the fake upstream.", finish_reason = "stop" } },
                usage = new { prompt_tokens = 5, completion_tokens = 6, total_tokens = 11 },
            });
    }

    private async Task StreamAsync(HttpContext context, string kind, string model)
    {
        context.Response.ContentType = "text/event-stream";
        for (var i = 0; i <= StreamChunks; i++)
        {
            var last = i == StreamChunks;
            var chunk = new
            {
                id = "chatcmpl-fake",
                @object = kind == "chat" ? "chat.completion.chunk" : "text_completion",
                created = 1_700_000_000,
                model,
                choices = new object[]
                {
                    new { index = 0, delta = last ? new { content = (string?)null } : new { content = (string?)$"word{i} " }, finish_reason = last ? "stop" : null },
                },
            };
            await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (i == 0 && HoldStreamAfterFirstChunk is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            if (i == 0 && AbortStreamAfterFirstChunk)
            {
                context.Abort();
                return;
            }
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    // OpenAI validates each message: a role and a content are required, unknown properties are refused.
    private static (string Message, string? Param)? ValidateMessages(JsonObject request)
    {
        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return ("[] is too short - 'messages'", "messages");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                return ($"Invalid type for 'messages[{i}]': expected an object.", $"messages[{i}]");
            }

            if (message["content"] is null)
            {
                return ($"Missing required parameter: 'messages[{i}].content'.", $"messages[{i}].content");
            }

            foreach (var property in message)
            {
                if (property.Key is not ("role" or "content" or "name" or "tool_calls" or "tool_call_id"))
                {
                    return ($"Unrecognized request argument supplied: messages[{i}].{property.Key}", $"messages[{i}].{property.Key}");
                }
            }
        }

        return null;
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string type, string? param, string? code = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { message, type, param, code } });
    }
}
