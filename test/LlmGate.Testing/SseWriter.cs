using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>Writes server-sent events the hard way for a reader: each event in two writes, each flushed.</summary>
internal static class SseWriter
{
    /// <summary>Writes <paramref name="text"/> cut in the middle, flushing after each half, so a reader must join partial lines.</summary>
    public static async Task WriteSplitAsync(HttpContext context, string text)
    {
        var cut = text.Length / 2;
        await context.Response.WriteAsync(text[..cut], context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await context.Response.WriteAsync(text[cut..], context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
