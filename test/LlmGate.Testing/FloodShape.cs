using System.Text;

namespace LlmGate.Testing;

/// <summary>
/// What a <see cref="FloodingUpstream"/> sends: the events that open a stream, then one event repeated for ever; each is
/// already framed as an HTTP chunk. Events carry about 1 KB of text so a flood is a few thousand events per megabyte.
/// </summary>
public sealed record FloodShape(IReadOnlyList<byte[]> Prologue, byte[] Repeated)
{
    private static readonly string Text = new('x', 1000);

    /// <summary>OpenAI's chat.completion.chunk events, relayed by the gateway as bytes.</summary>
    public static FloodShape OpenAi { get; } = new(
        [],
        Chunk($"data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{Text}\"}}}}]}}\n\n"));

    /// <summary>Anthropic's Messages events, which the gateway parses and translates one by one.</summary>
    public static FloodShape Anthropic { get; } = new(
        [
            Chunk("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"),
            Chunk("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"),
        ],
        Chunk($"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"{Text}\"}}}}\n\n"));

    private static byte[] Chunk(string data) => Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n");
}
