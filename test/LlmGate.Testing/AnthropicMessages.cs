using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Anthropic's Messages API behind whatever front door carries it (an <see cref="AnthropicDialect"/>): Anthropic's own
/// <c>/v1/messages</c> (<see cref="FakeAnthropic"/>), Vertex AI's <c>rawPredict</c>/<c>streamRawPredict</c>
/// (<see cref="FakeGemini"/>) and Bedrock's <c>invoke</c>/<c>invoke-with-response-stream</c> (<see cref="FakeBedrock"/>).
/// Parses and validates a request as Anthropic does, answers it (text, a tool call when tools are offered, text quoting a
/// <c>tool_result</c>) as one message or as Anthropic's stream events (SSE here, event-stream chunks on Bedrock), and
/// writes Anthropic's error body.
/// </summary>
internal static class AnthropicMessages
{
    /// <summary>The body as a JSON object, or null with Anthropic's message for a body that is not one.</summary>
    public static JsonObject? Parse(string body, out string error)
    {
        error = "";
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException exception)
        {
            error = $"The request body is not valid JSON: {exception.Message}";
            return null;
        }
    }

    /// <summary>Anthropic's answer to a failure status: its error type, its words, and a Retry-After on 429.</summary>
    public static Task FailAsync(HttpContext context, int status)
    {
        var type = status switch { 429 => "rate_limit_error", 529 => "overloaded_error", 400 => "invalid_request_error", _ => "api_error" };
        var message = status switch { 529 => "Overloaded", 429 => "Number of request tokens has exceeded your per-minute rate limit", _ => $"Fake Anthropic failure {status}" };
        if (status == 429)
        {
            context.Response.Headers.RetryAfter = "7";
        }

        return ErrorAsync(context, status, type, message);
    }

    /// <summary>Anthropic's validation message for the first thing wrong with the request, or null when it is valid.</summary>
    /// <param name="dialect">Where the request came: which fields it may and must have.</param>
    public static string? Validate(JsonObject request, AnthropicDialect dialect)
    {
        foreach (var property in request)
        {
            if (!dialect.Fields.Contains(property.Key))
            {
                return dialect.ExtraField(property.Key);
            }
        }

        if (dialect.BodyVersion is { } version)
        {
            if (request["anthropic_version"] is null)
            {
                return dialect.MissingField("anthropic_version");
            }

            if (StringOf(request["anthropic_version"]) != version)
            {
                return $"anthropic_version: Input should be '{version}'";
            }
        }

        if (dialect.ModelInBody && request["model"] is null)
        {
            return dialect.MissingField("model");
        }

        if (dialect.ModelInBody && StringOf(request["model"]) is null)
        {
            return "model: Input should be a valid string";
        }

        if (request["max_tokens"] is null)
        {
            return dialect.MissingField("max_tokens");
        }

        if (request["max_tokens"] is not JsonValue maxTokens || !maxTokens.TryGetValue<int>(out _))
        {
            return "max_tokens: Input should be a valid integer";
        }

        if (request["stream"] is { } stream && !(stream is JsonValue flag && flag.TryGetValue<bool>(out _)))
        {
            return "stream: Input should be a valid boolean";
        }

        return ValidateMessages(request) ?? ValidateTools(request);
    }

    /// <summary>Answers a valid request as <paramref name="model"/>, as one JSON message or, when it asks to stream, as Anthropic's SSE.</summary>
    /// <param name="streamErrorType">When set, a stream is cut by an <c>error</c> event of this type after its first delta.</param>
    /// <param name="holdAfterFirstEvent">When set, a stream waits for it after its first event (a test sees that event arrive first).</param>
    public static Task AnswerAsync(HttpContext context, JsonObject request, string model, string? streamErrorType, Task? holdAfterFirstEvent = null) =>
        request["stream"]?.GetValue<bool>() == true
            ? StreamAsync(context, StreamEvents(request, model), streamErrorType, holdAfterFirstEvent)
            : context.Response.WriteAsJsonAsync(Message(request, model));

    /// <summary>The answer to a valid request as one message: <c>{"id","type":"message","role","model","content",…,"usage"}</c>.</summary>
    public static JsonObject Message(JsonObject request, string model)
    {
        var answer = Answer(request);
        var content = new JsonArray();
        if (answer.Text is not null)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = answer.Text });
        }

        if (answer.ToolName is not null)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_01A", ["name"] = answer.ToolName, ["input"] = new JsonObject { ["location"] = "Paris" } });
        }

        return new JsonObject
        {
            ["id"] = "msg_01XYZ",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = answer.ToolName is null ? "end_turn" : "tool_use",
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 12, ["output_tokens"] = 7 },
        };
    }

    /// <summary>Anthropic's error body: <c>{"type":"error","error":{"type":…,"message":…}}</c>.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "error", error = new { type, message } });
    }

    private static string? ValidateMessages(JsonObject request)
    {
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

        return null;
    }

    private static string? ValidateTools(JsonObject request) =>
        request["tools"] is { } tools && !(tools is JsonArray list && list.All(t => t is JsonObject tool && StringOf(tool["name"]) is not null))
            ? "tools: each tool needs a name"
            : null;

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

    /// <summary>
    /// The answer to a valid request as Anthropic's stream events, in order, each its name and data: message_start, ping,
    /// a text block in word-sized deltas, a tool_use block in partial-JSON deltas, message_delta, message_stop.
    /// </summary>
    public static List<(string Name, JsonObject Data)> StreamEvents(JsonObject request, string model)
    {
        var answer = Answer(request);
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
        return [.. events.Select(e => (e.Name, JsonSerializer.SerializeToNode(e.Data)!.AsObject()))];
    }

    private static async Task StreamAsync(HttpContext context, List<(string Name, JsonObject Data)> events, string? streamErrorType, Task? holdAfterFirstEvent)
    {
        context.Response.ContentType = "text/event-stream";
        var textDeltas = 0;
        foreach (var (name, data) in events)
        {
            await SseWriter.WriteSplitAsync(context, $"event: {name}\ndata: {data.ToJsonString()}\n\n");
            if (holdAfterFirstEvent is not null && name == "message_start")
            {
                await holdAfterFirstEvent.WaitAsync(context.RequestAborted);
            }

            if (name == "content_block_delta" && streamErrorType is { } errorType && ++textDeltas == 1)
            {
                var error = JsonSerializer.Serialize(new { type = "error", error = new { type = errorType, message = "Overloaded" } });
                await context.Response.WriteAsync($"event: error\ndata: {error}\n\n", context.RequestAborted);
                return;
            }
        }
    }
}
