using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers.Messages;

namespace LlmGate.Tests.Providers.Messages;

/// <summary>Runs OpenAI SSE through a <see cref="MessagesStreamTranslator"/> and reads the Anthropic events it wrote.</summary>
internal static class AnthropicEvents
{
    public static string Run(string openAiSse, IEnumerable<int> pieceSizes, bool complete = true, string model = "claude-sonnet-4-5")
    {
        var translator = new MessagesStreamTranslator(model);
        var output = new ArrayBufferWriter<byte>();
        var bytes = Encoding.UTF8.GetBytes(openAiSse);
        var offset = 0;
        using var sizes = pieceSizes.GetEnumerator();
        while (offset < bytes.Length)
        {
            var size = sizes.MoveNext() ? Math.Min(sizes.Current, bytes.Length - offset) : bytes.Length - offset;
            translator.Feed(bytes.AsSpan(offset, size), output);
            offset += size;
        }

        if (complete)
        {
            translator.Complete(output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static string RunWhole(string openAiSse) => Run(openAiSse, []);

    /// <summary>The events, each checked for its framing (<c>event: t\ndata: {"type":"t",...}\n\n</c>).</summary>
    public static List<(string Type, JsonNode Data)> Parse(string output)
    {
        var events = new List<(string, JsonNode)>();
        Assert.EndsWith("\n\n", output, StringComparison.Ordinal);
        foreach (var frame in output[..^2].Split("\n\n"))
        {
            var lines = frame.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var type = lines[0]["event: ".Length..];
            var data = JsonNode.Parse(lines[1]["data: ".Length..])!;
            Assert.Equal(type, data["type"]!.GetValue<string>());
            events.Add((type, data));
        }

        return events;
    }

    /// <summary>
    /// Asserts Anthropic's grammar: <c>message_start</c>; blocks opened at 0, 1, ... one at a time, each delta to the open
    /// block, each block stopped; then <c>message_delta</c> and <c>message_stop</c>, last.
    /// </summary>
    public static void AssertWellFormed(List<(string Type, JsonNode Data)> events)
    {
        Assert.Equal("message_start", events[0].Type);
        int? open = null;
        var next = 0;
        foreach (var (type, data) in events.Skip(1).SkipLast(2))
        {
            switch (type)
            {
                case "content_block_start":
                    Assert.Null(open);
                    Assert.Equal(next++, data["index"]!.GetValue<int>());
                    open = data["index"]!.GetValue<int>();
                    break;
                case "content_block_delta":
                    Assert.Equal(open, data["index"]!.GetValue<int>());
                    break;
                case "content_block_stop":
                    Assert.Equal(open, data["index"]!.GetValue<int>());
                    open = null;
                    break;
                default:
                    Assert.Fail($"Unexpected {type} before the message's end.");
                    break;
            }
        }

        Assert.Null(open);
        Assert.Equal(["message_delta", "message_stop"], events.TakeLast(2).Select(e => e.Type));
    }

    /// <summary>Block <paramref name="index"/>'s deltas joined: its text, thinking or tool input JSON.</summary>
    public static string Joined(List<(string Type, JsonNode Data)> events, int index) => string.Concat(
        events.Where(e => e.Type == "content_block_delta" && e.Data["index"]!.GetValue<int>() == index)
            .Select(e => e.Data["delta"]!["text"] ?? e.Data["delta"]!["thinking"] ?? e.Data["delta"]!["partial_json"])
            .Select(v => v!.GetValue<string>()));

    public static JsonNode Block(List<(string Type, JsonNode Data)> events, int index) =>
        events.Single(e => e.Type == "content_block_start" && e.Data["index"]!.GetValue<int>() == index).Data["content_block"]!;
}
