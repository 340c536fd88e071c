using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// The fake's answer to a valid Converse request, as one JSON response or as ConverseStream events. After a user turn
/// that holds <c>toolResult</c>s: text quoting them. Otherwise, with <c>toolChoice: {tool}</c>: a call of that tool;
/// with tools offered: a call of the first (after a short text, unless <c>toolChoice</c> is <c>any</c>); with no tools:
/// <c>Hello from fake Bedrock! You said: …</c>. A call's input fills each required string property of the tool's schema
/// with <c>"Paris"</c> (or the first value of its <c>enum</c>).
/// </summary>
internal sealed class ConverseReply
{
    /// <summary>The value the fake gives each required string property of a tool call's input.</summary>
    public const string ToolArgument = "Paris";

    /// <summary>The usage every answer reports: input, output, total tokens.</summary>
    public static readonly (int Input, int Output, int Total) Usage = (12, 7, 19);

    public ConverseReply(JsonObject request, int sequence)
    {
        var messages = request["messages"]!.AsArray();
        var last = messages.Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.AsArray();
        var results = last.Select(b => b?["toolResult"]).OfType<JsonObject>().ToList();
        if (results.Count > 0)
        {
            Text = "The tool said: " + string.Join(" ", results.SelectMany(r => r["content"]!.AsArray())
                .Select(c => c?["text"]?.GetValue<string>() ?? c?["json"]?.ToJsonString() ?? c!.ToJsonString()));
            return;
        }

        var specs = (request["toolConfig"]?["tools"] as JsonArray ?? []).Select(t => t?["toolSpec"]).OfType<JsonObject>().ToList();
        var choice = request["toolConfig"]?["toolChoice"] as JsonObject;
        var forced = choice?["tool"]?["name"]?.GetValue<string>();
        var spec = forced is not null ? specs.First(s => s["name"]!.GetValue<string>() == forced) : specs.FirstOrDefault();
        if (spec is null)
        {
            var said = string.Join(" ", last.Select(b => b?["text"]?.GetValue<string>()).OfType<string>());
            Text = $"Hello from fake Bedrock! You said: {said}";
            return;
        }

        if (forced is null && choice?["any"] is null)
        {
            Text = "Let me check.";
        }

        ToolName = spec["name"]!.GetValue<string>();
        ToolUseId = $"tooluse_fake{sequence:D4}Bdrk";
        ToolInput = InputFor(spec["inputSchema"]!["json"]!.AsObject());
    }

    /// <summary>The text of the answer, or null for a bare tool call.</summary>
    public string? Text { get; }

    /// <summary>The tool called, or null for a text answer.</summary>
    public string? ToolName { get; }

    public string? ToolUseId { get; }

    public JsonObject? ToolInput { get; }

    public string StopReason => ToolName is null ? "end_turn" : "tool_use";

    /// <summary>The Converse response: <c>output.message</c>, <c>stopReason</c>, <c>usage</c>, <c>metrics</c>.</summary>
    public JsonObject Response()
    {
        var content = new JsonArray();
        if (Text is not null)
        {
            content.Add(new JsonObject { ["text"] = Text });
        }

        if (ToolName is not null)
        {
            content.Add(new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = ToolUseId, ["name"] = ToolName, ["input"] = ToolInput!.DeepClone() } });
        }

        return new JsonObject
        {
            ["output"] = new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content } },
            ["stopReason"] = StopReason,
            ["usage"] = UsageJson(),
            ["metrics"] = new JsonObject { ["latencyMs"] = 42 },
        };
    }

    /// <summary>
    /// The ConverseStream events, each its <c>:event-type</c> and payload: messageStart; the text in word-sized
    /// contentBlockDelta pieces (at least three) and its contentBlockStop (no contentBlockStart, as Bedrock does for
    /// text); for a call, contentBlockStart with its id and name, its input as partial JSON in three pieces, and
    /// contentBlockStop; messageStop; metadata with the usage.
    /// </summary>
    public List<(string EventType, JsonObject Payload)> StreamEvents()
    {
        var events = new List<(string, JsonObject)> { ("messageStart", new JsonObject { ["role"] = "assistant" }) };
        var index = 0;
        if (Text is not null)
        {
            foreach (var piece in Pieces(Text))
            {
                events.Add(("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = index, ["delta"] = new JsonObject { ["text"] = piece } }));
            }

            events.Add(("contentBlockStop", new JsonObject { ["contentBlockIndex"] = index }));
            index++;
        }

        if (ToolName is not null)
        {
            var start = new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = ToolUseId, ["name"] = ToolName } };
            events.Add(("contentBlockStart", new JsonObject { ["contentBlockIndex"] = index, ["start"] = start }));
            var input = ToolInput!.ToJsonString();
            var third = Math.Max(1, input.Length / 3);
            foreach (var piece in new[] { input[..third], input[third..Math.Max(third, input.Length - third)], input[Math.Max(third, input.Length - third)..] }.Where(p => p.Length > 0))
            {
                var delta = new JsonObject { ["toolUse"] = new JsonObject { ["input"] = piece } };
                events.Add(("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = index, ["delta"] = delta }));
            }

            events.Add(("contentBlockStop", new JsonObject { ["contentBlockIndex"] = index }));
        }

        events.Add(("messageStop", new JsonObject { ["stopReason"] = StopReason }));
        events.Add(("metadata", new JsonObject { ["usage"] = UsageJson(), ["metrics"] = new JsonObject { ["latencyMs"] = 42 } }));
        return events;
    }

    private static JsonObject UsageJson() =>
        new() { ["inputTokens"] = Usage.Input, ["outputTokens"] = Usage.Output, ["totalTokens"] = Usage.Total };

    // Word-sized pieces, each but the first with its leading space; at least three for any text of three words or more.
    private static IEnumerable<string> Pieces(string text) => text.Split(' ').Select((w, i) => i == 0 ? w : " " + w);

    private static JsonObject InputFor(JsonObject schema)
    {
        var input = new JsonObject();
        var properties = schema["properties"] as JsonObject;
        foreach (var name in (schema["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>()).OfType<string>())
        {
            if (properties?[name] is JsonObject property && property["type"]?.ToString() == "string")
            {
                input[name] = property["enum"] is JsonArray { Count: > 0 } values ? values[0]!.DeepClone() : ToolArgument;
            }
        }

        return input;
    }
}
