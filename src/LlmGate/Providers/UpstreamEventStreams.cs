using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace LlmGate.Providers;

/// <summary>
/// Reads a provider's streamed answer as events, whatever its framing: server-sent events (Anthropic, Gemini) through the
/// platform's <see cref="SseParser"/> (events split across reads anywhere, CRLF, comments, multi-line data), and, beside
/// it, binary event streams (Bedrock's) as the providers that use them arrive. Translators see only <see cref="UpstreamEvent"/>s.
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
