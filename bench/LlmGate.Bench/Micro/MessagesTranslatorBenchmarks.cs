using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using LlmGate.Providers.Messages;

namespace LlmGate.Bench.Micro;

/// <summary>
/// <c>/v1/messages</c> to a deployment that is not Anthropic: a Claude Code request (system blocks, 16 tools with
/// schemas, 40 turns with tool round trips, about 50 KB) translated to OpenAI chat, and a streamed answer of 200 text
/// chunks and a tool call translated back to Anthropic events, fed in 1 KB reads.
/// </summary>
[MemoryDiagnoser]
public class MessagesTranslatorBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _request = [];
    private byte[] _stream = [];

    [GlobalSetup]
    public void Setup()
    {
        _request = Encoding.UTF8.GetBytes(ClaudeCodeRequest());
        _stream = Encoding.UTF8.GetBytes(OpenAiStream());
    }

    [Benchmark]
    public int Request() => MessagesRequestTranslator.ToChatCompletions(_request).Length;

    [Benchmark]
    public int Stream()
    {
        _output.ResetWrittenCount();
        var translator = new MessagesStreamTranslator("claude-sonnet-4-5");
        for (var offset = 0; offset < _stream.Length; offset += 1024)
        {
            translator.Feed(_stream.AsSpan(offset, Math.Min(1024, _stream.Length - offset)), _output);
        }

        translator.Complete(_output);
        return _output.WrittenCount;
    }

    private static string ClaudeCodeRequest()
    {
        var filler = string.Concat(Enumerable.Repeat("Reads a file from the local filesystem; use absolute paths. ", 12));
        var json = new StringBuilder("""{"model":"claude-sonnet-4-5","max_tokens":32000,"stream":true,"system":[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},{"type":"text","text":""" + "\"" + filler + filler + "\"}],\"messages\":[");
        for (var i = 0; i < 20; i++)
        {
            json.Append(i == 0 ? "" : ",")
                .Append("""{"role":"user","content":[""")
                .Append(i == 0 ? "" : $$"""{"type":"tool_result","tool_use_id":"toolu_{{i - 1}}","content":[{"type":"text","text":"{{filler}}"}]},""")
                .Append($$"""{"type":"text","text":"step {{i}}: {{filler}}"}]},""")
                .Append($$$"""{"role":"assistant","content":[{"type":"text","text":"Running it."},{"type":"tool_use","id":"toolu_{{{i}}}","name":"Bash","input":{"command":"ls -la /src/{{{i}}}","description":"List"}}]}""");
        }

        json.Append("""],"tools":[""");
        for (var t = 0; t < 16; t++)
        {
            json.Append(t == 0 ? "" : ",").Append($$$"""{"name":"Tool{{{t}}}","description":"{{{filler}}}","input_schema":{"type":"object","properties":{"file_path":{"type":"string","description":"The absolute path"},"offset":{"type":"number"},"limit":{"type":"number"}},"required":["file_path"]}}""");
        }

        return json.Append("""],"metadata":{"user_id":"user_1"},"thinking":{"type":"enabled","budget_tokens":4096}}""").ToString();
    }

    private static string OpenAiStream()
    {
        const string head = """data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[""";
        var sse = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            sse.Append(head).Append("""{"index":0,"delta":{"content":"token """).Append(i).Append("\"},\"finish_reason\":null}]}\n\n");
        }

        sse.Append(head).Append("""{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"Bash","arguments":""}}]},"finish_reason":null}]}""").Append("\n\n");
        for (var i = 0; i < 20; i++)
        {
            sse.Append(head).Append("""{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\": 1"}}]},"finish_reason":null}]}""").Append("\n\n");
        }

        sse.Append(head).Append("""{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""").Append("\n\n");
        sse.Append(head).Append("""],"usage":{"prompt_tokens":900,"completion_tokens":240,"total_tokens":1140}}""").Append("\n\n");
        return sse.Append("data: [DONE]\n\n").ToString();
    }
}
