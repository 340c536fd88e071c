using System.Buffers;
using System.Text.Json;

namespace LlmGate.OpenAi;

/// <summary>
/// Produces the body sent upstream: the client's bytes, with only <c>model</c> replaced (or added, when the route named it) and gateway-only
/// fields dropped. Properties are copied as raw bytes; nothing is re-serialised.
/// </summary>
internal static class RequestBodyRewriter
{
    public static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> body, RequestSummary summary, string upstreamModel)
    {
        if (!summary.HasGatewayOnlyFields && summary.Model == upstreamModel)
        {
            return body;
        }

        var source = body.Span;
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
            else
            {
                output.Write(source[property.Start..property.End]);
            }
        }

        output.Write("}"u8);
        return output.WrittenMemory;
    }

    private static void WriteJsonString(ArrayBufferWriter<byte> output, string value)
    {
        using var writer = new Utf8JsonWriter(output, GatewayJson.WriterOptions);
        writer.WriteStringValue(value);
    }
}
