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

    public FakeOpenAiPayloads(int streamChunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streamChunks);
        Completion = Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench-model\","
            + "\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + Content + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":42,\"total_tokens\":73}}");

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

    /// <summary>Every event of a streamed answer, each written and flushed on its own.</summary>
    public IReadOnlyList<byte[]> StreamEvents { get; }

    private static byte[] Event(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");
}
