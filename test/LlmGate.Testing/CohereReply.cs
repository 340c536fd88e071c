using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// What the fake Cohere answers a valid v2 chat request, decided from the request alone and written in Cohere's format
/// (whole, or as its typed stream events): text derived from the last user message (naming the images it saw); a call
/// of the first tool while tools are offered, <c>tool_choice</c> is not <c>NONE</c> and the last message is not a tool
/// result; text quoting the tool result once it is; JSON when JSON is asked for; cut at <c>max_tokens</c> words or at a
/// stop sequence, with Cohere's finish reason for each.
/// </summary>
internal sealed class CohereReply
{
    /// <summary>The tokens Cohere's own preamble adds to every prompt: <c>usage.tokens</c> counts them, <c>billed_units</c> does not.</summary>
    public const int PreambleTokens = 100;

    private readonly string _id;
    private readonly string? _text;
    private readonly string _finishReason = "COMPLETE";
    private readonly (string Id, string Name, string Arguments)? _call;
    private readonly int _inputTokens;

    public CohereReply(JsonObject request, string id)
    {
        _id = id;
        var messages = request["messages"]!.AsArray().OfType<JsonObject>().ToList();
        _inputTokens = Math.Max(1, messages.Sum(m => FakeText.Words(Texts(m["content"]))));
        var last = messages[^1];
        string text;
        if (CohereRequestCheck.Text(last["role"]) == "tool")
        {
            var callId = CohereRequestCheck.Text(last["tool_call_id"]);
            var name = messages.SelectMany(m => m["tool_calls"] as JsonArray ?? []).FirstOrDefault(c => CohereRequestCheck.Text(c?["id"]) == callId)?["function"]?["name"];
            text = $"The tool {CohereRequestCheck.Text(name)} returned {Texts(last["content"])}.";
        }
        else if (request["tools"] is JsonArray { Count: > 0 } tools && CohereRequestCheck.Text(request["tool_choice"]) != "NONE")
        {
            var function = tools[0]!["function"]!;
            var name = CohereRequestCheck.Text(function["name"])!;
            _call = ($"{name}_{id[..12]}", name, FakeText.Arguments(function["parameters"] as JsonObject).ToJsonString());
            _finishReason = "TOOL_CALL";
            return;
        }
        else
        {
            var lastUser = messages.LastOrDefault(m => CohereRequestCheck.Text(m["role"]) == "user");
            var said = Texts(lastUser?["content"]).Trim();
            var images = (lastUser?["content"] as JsonArray ?? []).Count(p => CohereRequestCheck.Text(p?["type"]) == "image_url");
            text = "Hello from fake Cohere!" + (images > 0 ? $" I received {images} image(s)." : "") + $" You said: {(said.Length == 0 ? "nothing" : said)}";
        }

        if (CohereRequestCheck.Text(request["response_format"]?["type"]) == "json_object")
        {
            text = new JsonObject { ["answer"] = text }.ToJsonString();
        }

        var stop = (request["stop_sequences"] as JsonArray ?? []).Select(CohereRequestCheck.Text).OfType<string>().FirstOrDefault(s => s.Length > 0 && text.Contains(s, StringComparison.Ordinal));
        if (stop is not null)
        {
            text = text[..text.IndexOf(stop, StringComparison.Ordinal)];
            _finishReason = "STOP_SEQUENCE";
        }

        if (request["max_tokens"]?.GetValue<long>() is { } maxTokens && FakeText.Words(text) > maxTokens)
        {
            text = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take((int)maxTokens));
            _finishReason = "MAX_TOKENS";
        }

        _text = text;
    }

    /// <summary>The plan Cohere states before it calls a tool.</summary>
    public string? ToolPlan => _call is { } call ? $"I will call {call.Name} to answer." : null;

    /// <summary>The whole answer, as <c>POST /v2/chat</c> returns it.</summary>
    public JsonObject Response()
    {
        var message = new JsonObject { ["role"] = "assistant" };
        if (_call is { } call)
        {
            message["tool_plan"] = ToolPlan;
            message["tool_calls"] = new JsonArray(ToolCall(call.Arguments));
        }
        else
        {
            message["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = _text });
        }

        return new JsonObject { ["id"] = _id, ["message"] = message, ["finish_reason"] = _finishReason, ["usage"] = Usage() };
    }

    /// <summary>The answer as Cohere streams it: typed events (the event name and its data), the text or plan in <paramref name="pieces"/>.</summary>
    /// <param name="error">When set, <c>message-end</c> reports this error instead of a finish (the generation failed).</param>
    public List<(string Type, JsonObject Data)> Events(int pieces, string? error)
    {
        var events = new List<(string, JsonObject)>
        {
            Event("message-start", null, new JsonObject
            {
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant", ["content"] = new JsonArray(), ["tool_plan"] = "", ["tool_calls"] = new JsonArray(), ["citations"] = new JsonArray(),
                },
            }),
        };
        events[0].Item2.Insert(0, "id", _id);
        if (_call is { } call)
        {
            events.AddRange(FakeText.Pieces(ToolPlan!, pieces).Select(p => Event("tool-plan-delta", null, Message(new JsonObject { ["tool_plan"] = p }))));
            var start = ToolCall("");
            events.Add(Event("tool-call-start", 0, Message(new JsonObject { ["tool_calls"] = start })));
            events.AddRange(FakeText.Pieces(call.Arguments, 2).Select(a =>
                Event("tool-call-delta", 0, Message(new JsonObject { ["tool_calls"] = new JsonObject { ["function"] = new JsonObject { ["arguments"] = a } } }))));
            events.Add(Event("tool-call-end", 0, null));
        }
        else
        {
            events.Add(Event("content-start", 0, Message(new JsonObject { ["content"] = new JsonObject { ["type"] = "text", ["text"] = "" } })));
            events.AddRange(FakeText.Pieces(_text!, pieces).Select(p => Event("content-delta", 0, Message(new JsonObject { ["content"] = new JsonObject { ["text"] = p } }))));
            events.Add(Event("content-end", 0, null));
        }

        var end = error is null
            ? new JsonObject { ["finish_reason"] = _finishReason, ["usage"] = Usage() }
            : new JsonObject { ["error"] = error, ["finish_reason"] = "ERROR", ["usage"] = Usage() };
        events.Add(Event("message-end", null, end));
        return events;
    }

    private static JsonObject Message(JsonObject message) => new() { ["message"] = message };

    private static (string, JsonObject) Event(string type, int? index, JsonObject? delta)
    {
        var data = new JsonObject { ["type"] = type };
        if (index is { } i)
        {
            data["index"] = i;
        }

        if (delta is not null)
        {
            data["delta"] = delta;
        }

        return (type, data);
    }

    // The text of a message's content, whichever form it takes.
    private static string Texts(JsonNode? content) => content switch
    {
        JsonValue value when CohereRequestCheck.Text(value) is { } text => text,
        JsonArray parts => string.Join(" ", parts.Select(p => CohereRequestCheck.Text(p?["text"])).OfType<string>()),
        _ => "",
    };

    private JsonObject ToolCall(string arguments) => new()
    {
        ["id"] = _call!.Value.Id,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = _call.Value.Name, ["arguments"] = arguments },
    };

    private JsonObject Usage()
    {
        var output = _call is null ? FakeText.Words(_text!) : 5;
        return new JsonObject
        {
            ["billed_units"] = new JsonObject { ["input_tokens"] = _inputTokens, ["output_tokens"] = output },
            ["tokens"] = new JsonObject { ["input_tokens"] = _inputTokens + PreambleTokens, ["output_tokens"] = output },
        };
    }
}
