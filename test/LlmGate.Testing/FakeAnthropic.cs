using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Anthropic's Messages API on 127.0.0.1, as strict as the real one where the gateway could go wrong: the key must come
/// as <c>x-api-key</c> with an <c>anthropic-version</c>, <c>max_tokens</c> is required, unknown fields are refused,
/// roles are user and assistant only, and a body that is not JSON is a 400 (never an exception). Answers text, a tool
/// call when tools are offered, and text again once a <c>tool_result</c> arrives; streams as Anthropic does, each event
/// split across two writes.
/// </summary>
public sealed class FakeAnthropic : IAsyncDisposable
{
    private static readonly HashSet<string> AllowedFields =
    [
        "model", "messages", "max_tokens", "system", "stop_sequences", "temperature", "top_p", "top_k", "metadata",
        "stream", "tools", "tool_choice", "thinking", "service_tier",
    ];

    private readonly string _apiKey;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private WebApplication _app = null!;

    private FakeAnthropic(string apiKey)
    {
        _apiKey = apiKey;
    }

    /// <summary>The <c>api_base</c> to configure: the server root, as <c>https://api.anthropic.com</c>.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>When set, requests get this status with Anthropic's error body of the matching type.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>When set, a stream is cut by an <c>error</c> event of this type after its first text delta.</summary>
    public string? StreamErrorType { get; set; }

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    public static async Task<FakeAnthropic> StartAsync(string apiKey)
    {
        var fake = new FakeAnthropic(apiKey);
        (fake._app, fake.ApiBase) = await LoopbackServer.StartAsync(app => app.MapPost("/v1/messages", fake.HandleAsync));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _received.Enqueue(new ReceivedRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));

        if (context.Request.Headers["x-api-key"].ToString() != _apiKey)
        {
            await ErrorAsync(context, 401, "authentication_error", "invalid x-api-key");
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Headers["anthropic-version"]))
        {
            await ErrorAsync(context, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException exception)
        {
            await ErrorAsync(context, 400, "invalid_request_error", $"The request body is not valid JSON: {exception.Message}");
            return;
        }

        if (FailWithStatus is { } status)
        {
            var type = status switch { 429 => "rate_limit_error", 529 => "overloaded_error", 400 => "invalid_request_error", _ => "api_error" };
            var message = status switch { 529 => "Overloaded", 429 => "Number of request tokens has exceeded your per-minute rate limit", _ => $"Fake Anthropic failure {status}" };
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = "7";
            }

            await ErrorAsync(context, status, type, message);
            return;
        }

        if (Validate(request) is { } invalid)
        {
            await ErrorAsync(context, 400, "invalid_request_error", invalid);
            return;
        }

        var answer = Answer(request);
        if (request["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(context, request["model"]!.GetValue<string>(), answer);
            return;
        }

        var content = new JsonArray();
        if (answer.Text is not null)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = answer.Text });
        }

        if (answer.ToolName is not null)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_01A", ["name"] = answer.ToolName, ["input"] = new JsonObject { ["location"] = "Paris" } });
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "msg_01XYZ",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = request["model"]!.GetValue<string>(),
            ["content"] = content,
            ["stop_reason"] = answer.ToolName is null ? "end_turn" : "tool_use",
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 12, ["output_tokens"] = 7 },
        });
    }

    private static string? Validate(JsonObject request)
    {
        foreach (var property in request)
        {
            if (!AllowedFields.Contains(property.Key))
            {
                return $"{property.Key}: Extra inputs are not permitted";
            }
        }

        if (request["model"] is null)
        {
            return "model: Field required";
        }

        if (StringOf(request["model"]) is null)
        {
            return "model: Input should be a valid string";
        }

        if (request["max_tokens"] is null)
        {
            return "max_tokens: Field required";
        }

        if (request["max_tokens"] is not JsonValue maxTokens || !maxTokens.TryGetValue<int>(out _))
        {
            return "max_tokens: Input should be a valid integer";
        }

        if (request["stream"] is { } stream && !(stream is JsonValue flag && flag.TryGetValue<bool>(out _)))
        {
            return "stream: Input should be a valid boolean";
        }

        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return "messages: Field required";
        }

        string? previous = null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                return $"messages.{i}: Input should be a valid dictionary";
            }

            var role = StringOf(message["role"]);
            if (role is not ("user" or "assistant"))
            {
                return $"messages: Unexpected role \"{role}\". Allowed roles are \"user\" or \"assistant\"";
            }

            if (role == previous)
            {
                return "messages: roles must alternate between \"user\" and \"assistant\"";
            }

            if (StringOf(message["content"]) is null
                && !(message["content"] is JsonArray blocks && blocks.All(b => b is JsonObject block && StringOf(block["type"]) is not null)))
            {
                return $"messages.{i}.content: Input should be a valid list";
            }

            previous = role;
        }

        if (request["tools"] is { } tools
            && !(tools is JsonArray list && list.All(t => t is JsonObject tool && StringOf(tool["name"]) is not null)))
        {
            return "tools: each tool needs a name";
        }

        return null;
    }

    private static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    // Text, or a tool call when tools are offered, or text that quotes the tool's result once it arrives.
    private static (string? Text, string? ToolName) Answer(JsonObject request)
    {
        var last = request["messages"]!.AsArray()[^1]!;
        var toolResult = last["content"] is JsonArray blocks
            ? blocks.FirstOrDefault(b => b?["type"]?.GetValue<string>() == "tool_result")
            : null;
        if (toolResult is not null)
        {
            return ($"The tool said: {toolResult["content"]?.ToJsonString()}", null);
        }

        if (request["tools"] is JsonArray { Count: > 0 } tools)
        {
            return ("Let me check.", tools[0]!["name"]!.GetValue<string>());
        }

        return ("Hello from the fake Anthropic.", null);
    }

    private async Task StreamAsync(HttpContext context, string model, (string? Text, string? ToolName) answer)
    {
        context.Response.ContentType = "text/event-stream";
        var events = new List<(string Name, object Data)>
        {
            ("message_start", new { type = "message_start", message = new { id = "msg_01STREAM", type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, usage = new { input_tokens = 12, output_tokens = 1 } } }),
            ("ping", new { type = "ping" }),
        };
        var index = 0;
        if (answer.Text is not null)
        {
            events.Add(("content_block_start", new { type = "content_block_start", index, content_block = new { type = "text", text = "" } }));
            foreach (var word in answer.Text.Split(' ').Select((w, i) => i == 0 ? w : " " + w))
            {
                events.Add(("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "text_delta", text = word } }));
            }

            events.Add(("content_block_stop", new { type = "content_block_stop", index }));
            index++;
        }

        if (answer.ToolName is not null)
        {
            events.Add(("content_block_start", new { type = "content_block_start", index, content_block = new { type = "tool_use", id = "toolu_01A", name = answer.ToolName, input = new { } } }));
            foreach (var part in new[] { "", "{\"locat", "ion\": \"Par", "is\"}" })
            {
                events.Add(("content_block_delta", new { type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = part } }));
            }

            events.Add(("content_block_stop", new { type = "content_block_stop", index }));
        }

        events.Add(("message_delta", new { type = "message_delta", delta = new { stop_reason = answer.ToolName is null ? "end_turn" : "tool_use", stop_sequence = (string?)null }, usage = new { output_tokens = 9 } }));
        events.Add(("message_stop", new { type = "message_stop" }));

        var textDeltas = 0;
        foreach (var (name, data) in events)
        {
            var text = $"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n";
            // Split each event mid-way, so the gateway must join partial lines.
            var cut = text.Length / 2;
            await context.Response.WriteAsync(text[..cut], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await context.Response.WriteAsync(text[cut..], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (name == "content_block_delta" && StreamErrorType is { } errorType && ++textDeltas == 1)
            {
                var error = JsonSerializer.Serialize(new { type = "error", error = new { type = errorType, message = "Overloaded" } });
                await context.Response.WriteAsync($"event: error\ndata: {error}\n\n", context.RequestAborted);
                return;
            }
        }
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "error", error = new { type, message } });
    }
}
