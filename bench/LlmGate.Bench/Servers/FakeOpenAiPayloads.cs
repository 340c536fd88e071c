using System.Text;

namespace LlmGate.Bench.Servers;

/// <summary>
/// The fake upstream's answers, encoded once: a chat.completion of about 600 bytes, and a stream of N
/// chat.completion.chunk events (the first with the role, the last with finish_reason and usage) closed by <c>[DONE]</c>.
/// </summary>
internal sealed class FakeOpenAiPayloads
{
    private const string Content =
        "Benchmarks measure what a gateway adds to a call: the time between the client's request and the provider's, "
        + "the time between the provider's answer and the client's, and the CPU and memory spent on both.";

    public FakeOpenAiPayloads(int streamChunks, bool gemini)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streamChunks);
        if (gemini)
        {
            (Completion, StreamEvents) = GeminiPayloads(streamChunks);
            return;
        }

        Gemini = new FakeOpenAiPayloads(streamChunks, gemini: true);
        Completion = Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench-model\","
            + "\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + Content + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":42,\"total_tokens\":73}}");
        Embedding = Encoding.UTF8.GetBytes(
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":["
            + string.Join(',', Enumerable.Range(0, 64).Select(i => ((i % 17) / 16.0 - 0.5).ToString("0.0###", System.Globalization.CultureInfo.InvariantCulture)))
            + "]}],\"model\":\"bench-embedding\",\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}");
        UpstreamError = Encoding.UTF8.GetBytes(
            "{\"error\":{\"message\":\"The server is overloaded (fake upstream).\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");

        var chunks = new byte[streamChunks + 2][];
        for (var i = 0; i < streamChunks; i++)
        {
            var delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"\"}" : $"{{\"content\":\" token{i}\"}}";
            chunks[i] = Event(
                "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\","
                + "\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}]}");
        }

        chunks[streamChunks] = Event(
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\","
            + "\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + $"\"usage\":{{\"prompt_tokens\":31,\"completion_tokens\":{streamChunks},\"total_tokens\":{31 + streamChunks}}}}}");
        chunks[streamChunks + 1] = Encoding.UTF8.GetBytes("data: [DONE]\n\n");
        StreamEvents = chunks;
    }

    public byte[] Completion { get; }

    /// <summary>An embeddings answer: one 64-dimension vector and its usage.</summary>
    public byte[] Embedding { get; } = [];

    /// <summary>OpenAI's error shape, for the answers <c>/flaky/</c> fails.</summary>
    public byte[] UpstreamError { get; } = [];

    /// <summary>The same answers in Gemini's format (no <c>[DONE]</c> in its streams); null on the Gemini payloads themselves.</summary>
    public FakeOpenAiPayloads? Gemini { get; }

    /// <summary>Every event of a streamed answer, each written and flushed on its own.</summary>
    public IReadOnlyList<byte[]> StreamEvents { get; }

    private static (byte[] Completion, byte[][] StreamEvents) GeminiPayloads(int streamChunks)
    {
        static string Response(string text, bool last, int candidates) =>
            "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" + text + "\"}]}"
            + (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],"
            + $"\"usageMetadata\":{{\"promptTokenCount\":31,\"candidatesTokenCount\":{candidates},\"totalTokenCount\":{31 + candidates}}},"
            + "\"modelVersion\":\"bench-model\",\"responseId\":\"bench\"}";

        var events = new byte[Math.Max(streamChunks, 1)][];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = Event(Response($" token{i}", last: i == events.Length - 1, candidates: i + 1));
        }

        return (Encoding.UTF8.GetBytes(Response(Content, last: true, candidates: 42)), events);
    }

    private static byte[] Event(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");
}
