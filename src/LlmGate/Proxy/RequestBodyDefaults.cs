using System.Buffers;
using System.Text;
using LlmGate.Configuration;
using LlmGate.OpenAi;

namespace LlmGate.Proxy;

/// <summary>
/// A deployment's say on the request body, as in LiteLLM: its <c>litellm_params</c> defaults for parameters the request
/// does not set (the request's own top-level value wins), and the parameters its <c>additional_drop_params</c> removes.
/// One pass over the top-level properties the inspector already located; a deployment with neither costs nothing.
/// </summary>
internal static class RequestBodyDefaults
{
    /// <summary>The body to send, and its summary; the same instances when the deployment changes nothing.</summary>
    public static (ReadOnlyMemory<byte> Body, RequestSummary Summary) Apply(ReadOnlyMemory<byte> body, RequestSummary summary, DeploymentConfig deployment)
    {
        if (deployment.RequestDefaults.Count == 0 && deployment.AdditionalDropParams.Count == 0)
        {
            return (body, summary);
        }

        var source = body.Span;
        var drops = deployment.AdditionalDropParams.Select(Encoding.UTF8.GetBytes).ToArray();
        var output = new ArrayBufferWriter<byte>(body.Length + 64 * deployment.RequestDefaults.Count);
        output.Write("{"u8);
        var first = true;
        var changed = false;
        foreach (var property in summary.Properties)
        {
            if (Named(property, source, drops))
            {
                changed = true;
                continue;
            }

            Separate(output, ref first);
            output.Write(source[property.Start..property.End]);
        }

        foreach (var fallback in deployment.RequestDefaults)
        {
            if (!Present(summary.Properties, source, fallback.Utf8Name) && !Present(summary.Properties, source, AliasOf(fallback.Name))
                && !drops.Any(name => name.AsSpan().SequenceEqual(fallback.Utf8Name)))
            {
                Separate(output, ref first);
                output.Write(fallback.Property);
                changed = true;
            }
        }

        if (!changed)
        {
            return (body, summary);
        }

        output.Write("}"u8);
        var adjusted = output.WrittenMemory;
        var inspected = RequestBodyInspector.Inspect(adjusted.Span, requiredInput: null);
        inspected.RouteModel = summary.RouteModel;
        return (adjusted, inspected);
    }

    // The two names of the output limit: a request that sets either replaces a default for both (OpenAI refuses both at once).
    private static ReadOnlySpan<byte> AliasOf(string name) => name switch
    {
        "max_tokens" => "max_completion_tokens"u8,
        "max_completion_tokens" => "max_tokens"u8,
        _ => [],
    };

    private static bool Named(JsonPropertySpan property, ReadOnlySpan<byte> body, byte[][] names)
    {
        foreach (var name in names)
        {
            if (property.NameIs(body, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Present(List<JsonPropertySpan> properties, ReadOnlySpan<byte> body, ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var property in properties)
        {
            if (property.NameIs(body, name))
            {
                return true;
            }
        }

        return false;
    }

    private static void Separate(ArrayBufferWriter<byte> output, ref bool first)
    {
        if (!first)
        {
            output.Write(","u8);
        }

        first = false;
    }
}
