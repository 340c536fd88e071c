using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Writes AWS event-stream frames the hard way for a reader: each frame in two writes, each flushed, so a decoder must
/// join a frame split across reads. Payloads get Bedrock's random padding field <c>"p"</c>.
/// </summary>
internal static class EventStreamWriter
{
    private const string PaddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public const string ContentType = "application/vnd.amazon.eventstream";

    /// <summary>A copy of <paramref name="payload"/> with a <c>"p"</c> of random length, as Bedrock pads its events.</summary>
    public static string Padded(JsonObject payload)
    {
        var padded = payload.DeepClone().AsObject();
        padded["p"] = PaddingAlphabet[..Random.Shared.Next(1, PaddingAlphabet.Length)];
        return padded.ToJsonString();
    }

    /// <summary>Writes <paramref name="frame"/> cut in the middle, flushing after each half.</summary>
    public static async Task WriteSplitAsync(HttpContext context, byte[] frame)
    {
        var cut = frame.Length / 2;
        await context.Response.Body.WriteAsync(frame.AsMemory(0, cut), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync(frame.AsMemory(cut), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
