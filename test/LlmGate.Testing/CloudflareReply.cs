using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// What the fake Workers AI answers a valid text-generation request, decided from the request alone: text derived from
/// the last user message; a call of the first tool while tools are offered and the last message is not a tool result
/// (in Workers AI's older <c>{name, arguments}</c> shape, or OpenAI's); text quoting the tool result once it is; a JSON
/// object as the response in JSON mode. Whole (<c>{"result":…,"success":true}</c>) or as its stream of <c>data:</c> events.
/// </summary>
internal sealed class CloudflareReply
{
    private readonly JsonNode? _response;
    private readonly JsonObject? _toolCall;
    private readonly int _promptTokens;
    private readonly int _completionTokens;

    /// <param name="openAiToolCalls">Whether tool calls come in OpenAI's shape (with an id) rather than the older one.</param>
    public CloudflareReply(JsonObject request, bool openAiToolCalls)
    {
        var messages = request["messages"]!.AsArray().OfType<JsonObject>().ToList();
        _promptTokens = Math.Max(1, messages.Sum(m => FakeText.Words(CloudflareRequestCheck.Text(m["content"])!)));
        var last = messages[^1];
        string text;
        if (CloudflareRequestCheck.Text(last["role"]) == "tool")
        {
            var name = CloudflareRequestCheck.Text(last["name"]) ?? "(unnamed)";
            text = $"The tool {name} returned {CloudflareRequestCheck.Text(last["content"])}.";
        }
        else if (request["tools"] is JsonArray { Count: > 0 } tools)
        {
            var function = tools[0]!["function"] as JsonObject ?? tools[0]!.AsObject();
            var name = CloudflareRequestCheck.Text(function["name"])!;
            var arguments = FakeText.Arguments(function["parameters"] as JsonObject);
            _toolCall = openAiToolCalls
                ? new JsonObject
                {
                    ["id"] = "chatcmpl-tool-" + Guid.NewGuid().ToString("N")[..16],
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments.ToJsonString() },
                }
                : new JsonObject { ["arguments"] = arguments, ["name"] = name };
            _completionTokens = 5;
            return;
        }
        else
        {
            var said = CloudflareRequestCheck.Text(messages.LastOrDefault(m => CloudflareRequestCheck.Text(m["role"]) == "user")?["content"])?.Trim() ?? "";
            text = $"Hello from fake Cloudflare! You said: {(said.Length == 0 ? "nothing" : said)}";
        }

        _completionTokens = FakeText.Words(text);
        // In JSON mode Workers AI's response is the JSON value itself, not its text.
        _response = request["response_format"] is not null ? new JsonObject { ["answer"] = text } : text;
    }

    /// <summary>The whole answer, as Workers AI's run API returns it.</summary>
    public JsonObject Response()
    {
        var result = new JsonObject { ["response"] = _response?.DeepClone() };
        if (_toolCall is not null)
        {
            result["tool_calls"] = new JsonArray(_toolCall.DeepClone());
        }

        result["usage"] = Usage();
        return new JsonObject { ["result"] = result, ["success"] = true, ["errors"] = new JsonArray(), ["messages"] = new JsonArray() };
    }

    /// <summary>The stream's events: the text in <paramref name="pieces"/> (each with Workers AI's <c>p</c> padding), a tool call whole, usage, then <c>[DONE]</c>.</summary>
    public List<string> Events(int pieces)
    {
        var events = new List<string>();
        if (_response is JsonValue text)
        {
            events.AddRange(FakeText.Pieces(text.GetValue<string>(), pieces)
                .Select(p => new JsonObject { ["response"] = p, ["p"] = "abcdefghijklmnopqrstuvwxyz0123456789"[..(36 - Math.Min(p.Length, 30))] }.ToJsonString()));
        }
        else if (_response is not null)
        {
            events.Add(new JsonObject { ["response"] = _response.ToJsonString() }.ToJsonString());
        }

        if (_toolCall is not null)
        {
            events.Add(new JsonObject { ["response"] = "", ["tool_calls"] = new JsonArray(_toolCall.DeepClone()) }.ToJsonString());
        }

        events.Add(new JsonObject { ["response"] = "", ["usage"] = Usage() }.ToJsonString());
        events.Add("[DONE]");
        return events;
    }

    private JsonObject Usage() => new()
    {
        ["prompt_tokens"] = _promptTokens,
        ["completion_tokens"] = _completionTokens,
        ["total_tokens"] = _promptTokens + _completionTokens,
    };
}
