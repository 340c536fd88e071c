using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGate.Providers;

/// <summary>
/// The shared half of relaying another API's event stream unchanged (Anthropic's Messages, OpenAI's Responses): the
/// upstream's status and headers at once, then each event re-framed as it arrives and flushed.
/// </summary>
internal static class PassThroughEvents
{
    public static async Task<PipeWriter> StartAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ResponseHeaders.Copy(context.Response, response);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.StartAsync(cancellationToken);
        return context.Response.BodyWriter;
    }

    /// <summary><c>event: {type}</c> (when it has one) and <c>data: {data}</c>, then flushed.</summary>
    public static ValueTask<FlushResult> WriteAsync(PipeWriter output, string type, ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        if (type.Length > 0)
        {
            output.Write("event: "u8);
            output.Write(Encoding.UTF8.GetBytes(type));
            output.Write("\n"u8);
        }

        output.Write("data: "u8);
        output.Write(data);
        output.Write("\n\n"u8);
        return output.FlushAsync(cancellationToken);
    }
}
