using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// OpenAI's Responses API as <see cref="FakeUpstream"/> serves it: a stored response per call (its text quotes the
/// previous response's id when one is given, so a test sees the chain), streamed as OpenAI's event sequence, and
/// <c>GET</c>/<c>DELETE</c> by the upstream's own id.
/// </summary>
internal static class FakeResponsesApi
{
    public static async Task AnswerAsync(HttpContext context, JsonObject request, ConcurrentDictionary<string, JsonObject> stored)
    {
        if (request["input"] is null)
        {
            await WriteErrorAsync(context, 400, "Missing required parameter: 'input'.", "input");
            return;
        }

        var previous = (string?)request["previous_response_id"];
        if (previous is not null && !stored.ContainsKey(previous))
        {
            await WriteErrorAsync(context, 404, $"Previous response with id '{previous}' not found.", "previous_response_id");
            return;
        }

        var id = "resp_fake" + Guid.NewGuid().ToString("N")[..12];
        var text = previous is null ? "Hello from the fake Responses API." : $"Continuing {previous}.";
        var response = Response(id, (string)request["model"]!, text, "completed");
        response["previous_response_id"] = previous; // as OpenAI echoes it
        stored[id] = response;
        if (request["stream"] is JsonValue stream && stream.GetValue<bool>())
        {
            context.Response.ContentType = "text/event-stream";
            var sequence = 0;
            async Task SendAsync(string type, JsonObject data)
            {
                data["type"] = type;
                data["sequence_number"] = sequence++;
                await SseWriter.WriteSplitAsync(context, $"event: {type}\ndata: {data.ToJsonString()}\n\n");
            }

            await SendAsync("response.created", new JsonObject { ["response"] = Response(id, (string)request["model"]!, null, "in_progress") });
            foreach (var word in text.Split(' ').Select((w, i) => i == 0 ? w : " " + w))
            {
                await SendAsync("response.output_text.delta", new JsonObject { ["item_id"] = "msg_fake1", ["output_index"] = 0, ["content_index"] = 0, ["delta"] = word });
            }

            await SendAsync("response.completed", new JsonObject { ["response"] = response.DeepClone() });
            return;
        }

        await context.Response.WriteAsync(response.ToJsonString());
    }

    public static async Task GetAsync(HttpContext context, string id, ConcurrentDictionary<string, JsonObject> stored)
    {
        if (stored.TryGetValue(id, out var response))
        {
            await context.Response.WriteAsync(response.ToJsonString());
            return;
        }

        await WriteErrorAsync(context, 404, $"Response with id '{id}' not found.", null);
    }

    public static async Task DeleteAsync(HttpContext context, string id, ConcurrentDictionary<string, JsonObject> stored)
    {
        if (stored.TryRemove(id, out _))
        {
            await context.Response.WriteAsync(new JsonObject { ["id"] = id, ["object"] = "response", ["deleted"] = true }.ToJsonString());
            return;
        }

        await WriteErrorAsync(context, 404, $"Response with id '{id}' not found.", null);
    }

    private static JsonObject Response(string id, string model, string? text, string status) => new()
    {
        ["id"] = id,
        ["object"] = "response",
        ["created_at"] = 1764316800,
        ["status"] = status,
        ["error"] = null,
        ["incomplete_details"] = null,
        ["instructions"] = null,
        ["max_output_tokens"] = null,
        ["model"] = model,
        ["output"] = text is null ? new JsonArray() : new JsonArray(new JsonObject
        {
            ["type"] = "message",
            ["id"] = "msg_fake1",
            ["status"] = "completed",
            ["role"] = "assistant",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray() }),
        }),
        ["parallel_tool_calls"] = true,
        ["previous_response_id"] = null,
        ["temperature"] = 1.0,
        ["tool_choice"] = "auto",
        ["tools"] = new JsonArray(),
        ["top_p"] = 1.0,
        ["metadata"] = new JsonObject(),
        ["usage"] = text is null ? null : new JsonObject
        {
            ["input_tokens"] = 11,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
            ["output_tokens"] = 6,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
            ["total_tokens"] = 17,
        },
    };

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string? param)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = param, ["code"] = null },
        }.ToJsonString());
    }
}
