using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace LlmGate.Providers;

/// <summary>
/// Reads a provider's streamed answer as events: server-sent events (Anthropic, Gemini) through the platform's
/// <see cref="SseParser"/> (events split across reads anywhere, CRLF, comments, multi-line data). AWS's binary event
/// stream (Bedrock's) is read by <see cref="Aws.AwsEventStreams.ReadAsync"/>, beside AWS's own frame decoder. Translators
/// see only <see cref="UpstreamEvent"/>s, whatever the framing.
/// </summary>
internal static class UpstreamEventStreams
{
    public static async IAsyncEnumerable<UpstreamEvent> ReadSseAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = SseParser.Create(body, static (type, data) => new UpstreamEvent(type, data.ToArray()));
        await foreach (var item in parser.EnumerateAsync(cancellationToken))
        {
            yield return item.Data;
        }
    }
}
