using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using LlmGate.Providers.Responses;

namespace LlmGate.Bench.Micro;

/// <summary>
/// The <c>/v1/responses</c> bridge onto chat completions, per call: a multi-turn function-calling request as the
/// Agents SDK sends it (about 5 KB) to chat, a chat answer to a response, and a 20-chunk chat stream to Responses events.
/// </summary>
[MemoryDiagnoser]
public class ResponsesBridgeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(16384);
    private byte[] _request = [];
    private byte[] _answer = [];
    private byte[] _stream = [];

    [GlobalSetup]
    public void Setup()
    {
        var input = new StringBuilder("[{\"role\":\"user\",\"content\":\"Plan a trip.\"}");
        for (var i = 0; i < 8; i++)
        {
            input.Append(",{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"")
                .Append(string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 8)))
                .Append("\",\"annotations\":[]}]}")
                .Append(",{\"type\":\"function_call\",\"call_id\":\"call_").Append(i).Append("\",\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\\\"city ").Append(i).Append("\\\"}\"}")
                .Append(",{\"type\":\"function_call_output\",\"call_id\":\"call_").Append(i).Append("\",\"output\":\"").Append(string.Concat(Enumerable.Repeat("result text ", 10))).Append("\"}");
        }

        input.Append(']');
        _request = Encoding.UTF8.GetBytes(
            "{\"model\":\"claude-x\",\"instructions\":\"You are a travel agent.\",\"input\":" + input
            + ",\"tools\":[{\"type\":\"function\",\"name\":\"lookup\",\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}},\"strict\":true}],\"stream\":true}");
        _answer = Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 16))
            + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":80,\"total_tokens\":200}}");
        var stream = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            stream.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token ")
                .Append(i).Append("\"},\"finish_reason\":null}]}\n\n");
        }

        stream.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
            .Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":20,\"total_tokens\":140}}\n\n")
            .Append("data: [DONE]\n\n");
        _stream = Encoding.UTF8.GetBytes(stream.ToString());
    }

    [Benchmark]
    public int Request() => ResponsesRequestTranslator.ToChatCompletions(_request).Length;

    [Benchmark]
    public int Answer() => ResponsesAnswerTranslator.FromChatCompletion(_answer).Length;

    /// <summary>The stream as the relay reads it: one Feed per chunk event.</summary>
    [Benchmark]
    public int Stream()
    {
        _output.ResetWrittenCount();
        var translator = new ResponsesStreamTranslator("claude-x");
        var rest = _stream.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\n\n"u8) + 2;
            translator.Feed(rest[..end], _output);
            rest = rest[end..];
        }

        translator.Complete(_output);
        return _output.WrittenCount;
    }
}
