using System.Net;
using System.Text;

namespace LlmGate.Bench.Load;

/// <summary>One HTTP/1.1 request, encoded once and sent as bytes by every connection of a run.</summary>
internal sealed class LoadRequest
{
    private const string Prompt =
        "{\"model\":\"bench-model\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
        + "{\"role\":\"user\",\"content\":\"In one sentence: what does a proxy hop add to the latency of a chat completion?\"}],"
        + "\"temperature\":0.2,\"max_tokens\":64,\"stream\":";

    private LoadRequest(IPEndPoint endPoint, byte[] bytes, bool stream)
    {
        EndPoint = endPoint;
        Bytes = bytes;
        Stream = stream;
    }

    public IPEndPoint EndPoint { get; }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The body asks for <c>"stream":true</c>: the answer is server-sent events ending in <c>[DONE]</c>.</summary>
    public bool Stream { get; }

    /// <summary>
    /// Marks a streamed request the fake upstream answers slowly: the first chunk at once, then one every few seconds
    /// (the idle-streams scenario). It sits in the prompt, which every target forwards as it is.
    /// </summary>
    public const string IdleMarker = "bench-idle-stream";

    /// <summary>A chat completion as OpenAI's SDKs send it, with the master key in <c>Authorization</c>.</summary>
    public static LoadRequest ChatCompletion(int port, bool stream, string apiKey) => Build(port, stream, apiKey, Prompt);

    /// <summary>A streamed chat completion the fake upstream keeps open, sending one chunk every few seconds.</summary>
    public static LoadRequest IdleStream(int port, string apiKey) =>
        Build(port, stream: true, apiKey, Prompt.Replace("In one sentence:", IdleMarker + ": in one sentence,", StringComparison.Ordinal));

    /// <summary>The body <see cref="ChatCompletion"/> sends, for tools that build their own request (wrk).</summary>
    public static string ChatBody(bool stream) => Prompt + (stream ? "true}" : "false}");

    /// <summary>A chat completion as <see cref="ChatCompletion"/>, for another model group (the soak's faulty deployments).</summary>
    public static LoadRequest ChatCompletion(int port, bool stream, string apiKey, string model) =>
        Build(port, stream, apiKey, Prompt.Replace("\"model\":\"bench-model\"", $"\"model\":\"{model}\"", StringComparison.Ordinal));

    /// <summary>An embeddings request for <paramref name="model"/>, one short input.</summary>
    public static LoadRequest Embedding(int port, string apiKey, string model) =>
        Post(port, "/v1/embeddings", $"{{\"model\":\"{model}\",\"input\":\"What does a proxy hop add to the latency of a call?\"}}", stream: false, apiKey);

    private static LoadRequest Build(int port, bool stream, string apiKey, string prompt) =>
        Post(port, "/v1/chat/completions", prompt + (stream ? "true}" : "false}"), stream, apiKey);

    private static LoadRequest Post(int port, string path, string body, bool stream, string apiKey)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head =
            $"POST {path} HTTP/1.1\r\n"
            + $"Host: 127.0.0.1:{port}\r\n"
            + "Content-Type: application/json\r\n"
            + "Accept: " + (stream ? "text/event-stream" : "application/json") + "\r\n"
            + $"Authorization: Bearer {apiKey}\r\n"
            + "User-Agent: llmgate-bench\r\n"
            + $"Content-Length: {bodyBytes.Length}\r\n\r\n";
        return new LoadRequest(new IPEndPoint(IPAddress.Loopback, port), [.. Encoding.ASCII.GetBytes(head), .. bodyBytes], stream);
    }
}
