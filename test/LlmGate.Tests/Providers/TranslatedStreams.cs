using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Aws;
using LlmGate.Testing;

namespace LlmGate.Tests.Providers;

/// <summary>Runs a provider's stream (SSE, or AWS's event stream) through a translator as the adapter does, and reads the chunks it wrote.</summary>
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

    /// <summary>
    /// Asserts that <paramref name="stream"/> translates to the same chunks read whole and read at every piece size, with
    /// LF and with CRLF line ends: splits fall mid-line, mid-event, inside "\r\n" and inside multi-byte characters, and
    /// every run finishes. <paramref name="normalize"/> blanks what differs per run (fresh ids).
    /// </summary>
    public static async Task AssertSameAtEveryPieceSizeAsync(Func<IStreamTranslator> create, string stream, Func<string, string>? normalize = null)
    {
        normalize ??= output => output;
        var whole = normalize(await RunAsync(create(), stream, int.MaxValue));
        var length = Encoding.UTF8.GetByteCount(stream.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
        for (var pieceSize = 1; pieceSize <= length; pieceSize++)
        {
            foreach (var crlf in new[] { false, true })
            {
                var translator = create();
                var output = await RunAsync(translator, stream, pieceSize, crlf);
                Assert.True(translator.Finished, $"piece size {pieceSize}, crlf {crlf}");
                Assert.Equal(whole, normalize(output));
            }
        }
    }

    /// <summary>The JSON of each <c>data:</c> event but <c>[DONE]</c>.</summary>
    public static List<JsonNode> Chunks(string output) =>
        output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e != "data: [DONE]").Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
}
