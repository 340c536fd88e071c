using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 that answers like OpenAI's API: chat completions (plain and SSE),
/// completions, embeddings, images, speech, transcriptions and translations (<see cref="FakeTranscriptionApi"/>), moderations, a Cohere-shaped rerank and OpenAI's error shape. It refuses what OpenAI refuses before any steering applies:
/// a missing or wrong <c>Authorization: Bearer</c> key (401), a body that is not <c>application/json</c> or not
/// valid JSON (400). Tests steer it per request and read what it received, and when (on the clock it was given).
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    /// <summary>The key a fake upstream expects unless it is started with another.</summary>
    public const string DefaultApiKey = "sk-upstream";

    /// <summary>OpenAI's answer to a body that is not JSON (Azure OpenAI's models answer the same).</summary>
    internal const string NotJsonMessage =
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. "
        + "The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, "
        + "please contact us through our help center at help.openai.com.)";

    private const string NoKeyMessage =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth "
        + "(i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API "
        + "from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.";

    private readonly ReceivedRequestLog _received;
    private readonly FailureSteering _failure = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> _responses = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;
    private int _inFlight;

    private FakeUpstream(string apiKey, TimeProvider time)
    {
        ApiKey = apiKey;
        _received = new ReceivedRequestLog(time);
    }

    /// <summary>The only key accepted as <c>Authorization: Bearer</c>: what the gateway's deployment must be configured with.</summary>
    public string ApiKey { get; }

    /// <summary>The base URL to use as a deployment's <c>api_base</c>, ending in <c>/v1</c>.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>When set, the next requests get this HTTP status with an OpenAI-style error body.</summary>
    public int? FailWithStatus { get => _failure.Status; set => _failure.Status = value; }

    /// <summary>With <see cref="FailWithStatus"/>: only this many next requests fail, then answers are normal again; null = all fail.</summary>
    public int? FailRemaining { get => _failure.Remaining; set => _failure.Remaining = value; }

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

    /// <summary>Every request, refused ones included, in arrival order.</summary>
    public IReadOnlyCollection<ReceivedRequest> Received => _received.Received;

    /// <summary>Completes when the first request has been received (its body read).</summary>
    public Task RequestArrived => _arrived.Task;

    /// <summary>Completes when the caller of some request went away before its answer ended.</summary>
    public Task RequestCancelled => _cancelled.Task;

    /// <param name="apiKey">The key the gateway must send as <c>Authorization: Bearer</c>.</param>
    /// <param name="time">The clock that stamps <see cref="ReceivedRequest.ArrivedAt"/>; the system clock by default.</param>
    public static async Task<FakeUpstream> StartAsync(string apiKey = DefaultApiKey, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var upstream = new FakeUpstream(apiKey, time ?? TimeProvider.System);
        (upstream._app, var root) = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/chat/completions", context => upstream.HandleAsync(context, "chat"));
            app.MapPost("/v1/completions", context => upstream.HandleAsync(context, "completion"));
            app.MapPost("/v1/embeddings", context => upstream.HandleAsync(context, "embedding"));
            app.MapPost("/v1/responses", context => upstream.HandleAsync(context, "responses"));
            app.MapPost("/v1/images/generations", context => upstream.HandleAsync(context, "images"));
            app.MapPost("/v1/audio/speech", context => upstream.HandleAsync(context, "speech"));
            app.MapPost("/v1/audio/transcriptions", context => upstream.HandleAsync(context, "transcriptions"));
            app.MapPost("/v1/audio/translations", context => upstream.HandleAsync(context, "translations"));
            app.MapPost("/v1/moderations", context => upstream.HandleAsync(context, "moderations"));
            app.MapPost("/v1/rerank", context => upstream.HandleAsync(context, "rerank"));
            app.MapGet("/v1/responses/{id}", async (HttpContext context, string id) =>
            {
                await upstream._received.RecordAsync(context);
                await FakeResponsesApi.GetAsync(context, id, upstream._responses);
            });
            app.MapDelete("/v1/responses/{id}", async (HttpContext context, string id) =>
            {
                await upstream._received.RecordAsync(context);
                await FakeResponsesApi.DeleteAsync(context, id, upstream._responses);
            });
        });
        upstream.ApiBase = new Uri(root, "/v1");
        return upstream;
    }

    /// <summary>Completes once this many requests (refused ones included) have been received.</summary>
    public Task WaitForRequestsAsync(int count) => _received.WaitForAsync(count);

    public async ValueTask DisposeAsync()
    {
        HoldStreamAfterFirstChunk?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string kind)
    {
        if (await ReadAsync(context, kind) is not { } request)
        {
            return;
        }

        Interlocked.Increment(ref _inFlight);
        try
        {
            await AnswerAsync(context, kind, request);
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

    // The request recorded, then checked as OpenAI checks it; null when refused (the answer is written).
    private async Task<JsonObject?> ReadAsync(HttpContext context, string kind)
    {
        if (!FakeTranscriptionApi.Serves(kind))
        {
            var body = (await _received.RecordAsync(context)).Body;
            _arrived.TrySetResult();
            return await RefuseKeyAsync(context) ? null : await RefuseAsync(context, body);
        }

        var (fields, error) = await FakeTranscriptionApi.ReadFormAsync(context);
        _received.Record(context, fields?.ToJsonString() ?? "");
        _arrived.TrySetResult();
        if (await RefuseKeyAsync(context))
        {
            return null;
        }

        if (error is not null)
        {
            await WriteErrorAsync(context, 400, error, "invalid_request_error", null);
            return null;
        }

        return fields;
    }

    // A missing or wrong key: refused first, as OpenAI does; true when refused.
    private async Task<bool> RefuseKeyAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            await WriteErrorAsync(context, 401, NoKeyMessage, "invalid_request_error", null);
            return true;
        }

        if (authorization != "Bearer " + ApiKey)
        {
            var presented = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
            await WriteErrorAsync(context, 401,
                $"Incorrect API key provided: {Mask(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error", null, "invalid_api_key");
            return true;
        }

        return false;
    }

    // What OpenAI checks of a JSON call after the key: the content type, then that the body is JSON.
    private static async Task<JsonObject?> RefuseAsync(HttpContext context, string body)
    {
        var contentType = context.Request.ContentType;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, 400,
                $"Unsupported content type: '{contentType}'. This API method only accepts 'application/json' requests, but you specified the header 'Content-Type: {contentType}'. Please try again with a supported content type.",
                "invalid_request_error", null, "unsupported_content_type");
            return null;
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, 400, NotJsonMessage, "invalid_request_error", null);
            return null;
        }

        if (parsed is not JsonObject request)
        {
            await WriteErrorAsync(context, 400, $"Invalid type for request body: expected an object, but got {Describe(parsed)} instead.", "invalid_request_error", null);
            return null;
        }

        if (request["model"] is not JsonValue model || !model.TryGetValue<string>(out _))
        {
            await WriteErrorAsync(context, 400, "you must provide a model parameter", "invalid_request_error", null);
            return null;
        }

        if (request["stream"] is { } stream && !(stream is JsonValue flag && flag.TryGetValue<bool>(out _)))
        {
            await WriteErrorAsync(context, 400, $"Invalid type for 'stream': expected a boolean, but got {Describe(stream)} instead.", "invalid_request_error", "stream");
            return null;
        }

        return request;
    }

    // As OpenAI shows a wrong key: its first 8 and last 4 characters; a key too short for that is not shown at all.
    private static string Mask(string key) =>
        key.Length > 12 ? key[..8] + new string('*', key.Length - 12) + key[^4..] : new string('*', key.Length);

    private static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private async Task AnswerAsync(HttpContext context, string kind, JsonObject request)
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

        if (_failure.Take() is { } status)
        {
            if (RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            var type = status switch { 429 => "rate_limit_error", < 500 => "invalid_request_error", _ => "server_error" };
            await WriteErrorAsync(context, status, ErrorMessage ?? $"Fake upstream failure {status}", type, null, ErrorCode);
            return;
        }

        if (kind == "responses")
        {
            await FakeResponsesApi.AnswerAsync(context, request, _responses);
            return;
        }

        if (FakeTranscriptionApi.Serves(kind))
        {
            await FakeTranscriptionApi.AnswerAsync(context, kind, request);
            return;
        }

        if (FakeMediaApi.Serves(kind))
        {
            // Speech holds after its first half as a stream does after its first chunk.
            await FakeMediaApi.AnswerAsync(context, kind, request, HoldStreamAfterFirstChunk);
            return;
        }

        var model = request["model"]!.GetValue<string>();
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
            await StreamAsync(context, kind, model, request["stream_options"]?["include_usage"] is JsonValue include && include.TryGetValue<bool>(out var asked) && asked);
            return;
        }

        if (kind == "chat" && ToolAnswer(request) is { } toolAnswer)
        {
            await context.Response.WriteAsync(toolAnswer.ToJsonString());
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

    // With tools offered, a plain chat answer calls the first one; once a tool's result arrives, the answer quotes it.
    private static JsonObject? ToolAnswer(JsonObject request)
    {
        var last = request["messages"]!.AsArray()[^1]!;
        JsonObject message;
        string finish;
        if ((string?)last["role"] == "tool")
        {
            message = new JsonObject { ["role"] = "assistant", ["content"] = $"The tool said: {(string?)last["content"]}" };
            finish = "stop";
        }
        else if (request["tools"] is JsonArray { Count: > 0 } tools)
        {
            var name = (string?)tools[0]!["function"]!["name"];
            message = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = "call_fake1",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = "{\"location\":\"Paris\"}" },
                }),
            };
            finish = "tool_calls";
        }
        else
        {
            return null;
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = (string?)request["model"],
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finish }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 20, ["completion_tokens"] = 8, ["total_tokens"] = 28 },
        };
    }

    /// <summary>The usage a streamed answer reports when asked (<c>stream_options.include_usage</c>), in its own last chunk as OpenAI sends it.</summary>
    public static readonly object StreamUsage = new { prompt_tokens = 5, completion_tokens = 4, total_tokens = 9, prompt_tokens_details = new { cached_tokens = 2 } };

    private async Task StreamAsync(HttpContext context, string kind, string model, bool includeUsage)
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
            // Asked for usage, OpenAI adds "usage":null to every chunk.
            var json = includeUsage ? JsonSerializer.Serialize(new { chunk.id, chunk.@object, chunk.created, chunk.model, chunk.choices, usage = (object?)null }) : JsonSerializer.Serialize(chunk);
            await context.Response.WriteAsync($"data: {json}\n\n", context.RequestAborted);
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

        if (includeUsage)
        {
            var usage = new { id = "chatcmpl-fake", @object = kind == "chat" ? "chat.completion.chunk" : "text_completion", created = 1_700_000_000, model, choices = Array.Empty<object>(), usage = StreamUsage };
            await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(usage)}\n\n", context.RequestAborted);
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

            // As OpenAI: an assistant turn that only calls tools has no content (null or absent).
            if (message["content"] is null && !((string?)message["role"] == "assistant" && message["tool_calls"] is JsonArray { Count: > 0 }))
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
