using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Aws;

namespace LlmGate.Tests.Providers;

/// <summary>Runs a provider's stream through a translator as the adapter does, and reads the chunks it wrote.</summary>
internal static class TranslatedStreams
{
    /// <summary>The shared SSE reader over a body that hands out at most <paramref name="pieceSize"/> bytes per read.</summary>
    public static async Task<string> RunAsync(IStreamTranslator translator, string stream, int pieceSize, bool crlf = false)
    {
        var output = new ArrayBufferWriter<byte>();
        var text = stream.Replace("\r\n", "\n", StringComparison.Ordinal);
        await using var body = new PiecewiseStream(Encoding.UTF8.GetBytes(crlf ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text), pieceSize);
        await foreach (var upstreamEvent in UpstreamEventStreams.ReadSseAsync(body, CancellationToken.None))
        {
            translator.Translate(upstreamEvent, output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>AWS's binary event stream (Bedrock's) through its reader, over a body that hands out at most <paramref name="pieceSize"/> bytes per read.</summary>
    public static async Task<string> RunAsync(IStreamTranslator translator, byte[] eventStream, int pieceSize)
    {
        var output = new ArrayBufferWriter<byte>();
        await using var body = new PiecewiseStream(eventStream, pieceSize);
        await foreach (var upstreamEvent in AwsEventStreams.ReadAsync(body, CancellationToken.None))
        {
            translator.Translate(upstreamEvent, output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The JSON of each <c>data:</c> event but <c>[DONE]</c>.</summary>
    public static List<JsonNode> Chunks(string output) =>
        output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e != "data: [DONE]").Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
}
