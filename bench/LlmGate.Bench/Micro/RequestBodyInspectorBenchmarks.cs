using System.Text;
using BenchmarkDotNet.Attributes;
using LlmGate.OpenAi;
using LlmGate.Proxy;

namespace LlmGate.Bench.Micro;

/// <summary>
/// Reading <c>model</c>, <c>stream</c> and the required input from a chat request body, as the proxy does for every
/// call: a short request, a typical multi-turn one, and a long conversation with tools.
/// </summary>
[MemoryDiagnoser]
public class RequestBodyInspectorBenchmarks
{
    private byte[] _body = [];

    [Params("short-300B", "chat-4KB", "long-64KB")]
    public string Body { get; set; } = "short-300B";

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes(Body switch
        {
            "short-300B" => Request(1, 120, tools: false),
            "chat-4KB" => Request(8, 420, tools: false),
            _ => Request(60, 1000, tools: true),
        });
    }

    [Benchmark]
    public bool Inspect()
    {
        var summary = RequestBodyInspector.Inspect(_body, "messages");
        return summary.Stream && summary.Model is not null;
    }

    private static string Request(int turns, int contentLength, bool tools)
    {
        var json = new StringBuilder("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"}");
        for (var i = 0; i < turns; i++)
        {
            var role = i % 2 == 0 ? "user" : "assistant";
            json.Append(",{\"role\":\"").Append(role).Append("\",\"content\":\"")
                .Append(string.Concat(Enumerable.Repeat("lorem ipsum \\\"dolor\\\" sit amet ", (contentLength / 30) + 1))[..contentLength])
                .Append("\"}");
        }

        json.Append(']');
        if (tools)
        {
            json.Append(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}}]");
        }

        json.Append(",\"temperature\":0.2,\"max_tokens\":256,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        return json.ToString();
    }
}
