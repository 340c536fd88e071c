using System.Buffers;
using System.Text.Json;

namespace LlmGate.OpenAi;

/// <summary>
/// Produces the body sent upstream: the client's bytes, with only <c>model</c> replaced (or added, when the route named it) and gateway-only
/// fields dropped, and <c>stream_options.include_usage</c> added when the gateway asks for a stream's usage. Properties
/// are copied as raw bytes; nothing is re-serialised.
/// </summary>
internal static class RequestBodyRewriter
{
    /// <param name="askForStreamUsage">Add <c>stream_options.include_usage: true</c> unless the client set it (see <see cref="StreamUsageSplice"/>).</param>
    public static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> body, RequestSummary summary, string upstreamModel, bool askForStreamUsage = false)
    {
        var source = body.Span;
        var splice = askForStreamUsage ? StreamUsageSplice.For(source, summary) : null;
        if (!summary.HasGatewayOnlyFields && summary.Model == upstreamModel)
        {
            return splice is { } only ? Splice(source, only) : body;
        }

        var output = new ArrayBufferWriter<byte>(body.Length + upstreamModel.Length + 16);
        output.Write("{"u8);
        var first = true;
        if (summary.ModelIndex < 0)
        {
            // The model came from the URL (Azure-style routes): the upstream still needs it in the body.
            output.Write("\"model\":"u8);
            WriteJsonString(output, upstreamModel);
            first = false;
        }

        for (var i = 0; i < summary.Properties.Count; i++)
        {
            var property = summary.Properties[i];
            if (property.GatewayOnly)
            {
                continue;
            }

            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            if (i == summary.ModelIndex)
            {
                output.Write(source[property.Start..property.ValueStart]);
                WriteJsonString(output, upstreamModel);
            }
            else if (i == summary.StreamOptionsIndex && splice is { AddsProperty: false } inside)
            {
                output.Write(source[property.Start..inside.Start]);
                output.Write(inside.Insert);
                output.Write(source[inside.End..property.End]);
            }
            else
            {
                output.Write(source[property.Start..property.End]);
            }
        }

        if (splice is { AddsProperty: true } added)
        {
            if (!first)
            {
                output.Write(","u8);
            }

            output.Write(added.Insert);
        }

        output.Write("}"u8);
        return output.WrittenMemory;
    }

    // The client's bytes with one range replaced: whitespace and member order stay as the client sent them.
    private static byte[] Splice(ReadOnlySpan<byte> source, StreamUsageSplice splice)
    {
        var comma = splice.AddsProperty ? 1 : 0;
        var result = new byte[source.Length - (splice.End - splice.Start) + comma + splice.Insert.Length];
        source[..splice.Start].CopyTo(result);
        if (comma == 1)
        {
            result[splice.Start] = (byte)',';
        }

        splice.Insert.CopyTo(result.AsSpan(splice.Start + comma));
        source[splice.End..].CopyTo(result.AsSpan(splice.Start + comma + splice.Insert.Length));
        return result;
    }

    private static void WriteJsonString(ArrayBufferWriter<byte> output, string value)
    {
        using var writer = new Utf8JsonWriter(output, GatewayJson.WriterOptions);
        writer.WriteStringValue(value);
    }
}
