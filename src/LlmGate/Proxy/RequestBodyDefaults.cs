using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.Configuration;
using LlmGate.OpenAi;

namespace LlmGate.Proxy;

/// <summary>
/// A deployment's say on the request body, as in LiteLLM: its <c>litellm_params</c> defaults for parameters the request
/// does not set (the request's own top-level value wins), and the parameters its <c>additional_drop_params</c> removes.
/// A request's <c>extra_body</c> object is merged into the top level, its entries replacing top-level ones of the same
/// name (as LiteLLM's <c>optional_params.update(extra_body)</c>, and as the OpenAI SDKs send it), for every provider to
/// see the fields as a deployment's <c>extra_body</c> gives them. One pass over the top-level properties the inspector
/// already located; a request and deployment with none of these cost nothing.
/// </summary>
internal static class RequestBodyDefaults
{
    /// <summary>The body to send, and its summary; the same instances when the deployment changes nothing.</summary>
    public static (ReadOnlyMemory<byte> Body, RequestSummary Summary) Apply(ReadOnlyMemory<byte> body, RequestSummary summary, DeploymentConfig deployment)
    {
        if (deployment.RequestDefaults.Count == 0 && deployment.AdditionalDropParams.Count == 0 && summary.ExtraBodyIndex < 0)
        {
            return (body, summary);
        }

        var source = body.Span;
        var drops = deployment.AdditionalDropParams.Select(Encoding.UTF8.GetBytes).ToArray();
        var extras = summary.ExtraBodyIndex >= 0 ? Members(source, summary.Properties[summary.ExtraBodyIndex]) : [];
        var extraNames = extras.Select(extra => extra.Name).ToArray();
        var output = new ArrayBufferWriter<byte>(body.Length + 64 * deployment.RequestDefaults.Count);
        output.Write("{"u8);
        var first = true;
        var changed = summary.ExtraBodyIndex >= 0;
        for (var i = 0; i < summary.Properties.Count; i++)
        {
            var property = summary.Properties[i];
            if (i == summary.ExtraBodyIndex || Named(property, source, extraNames))
            {
                continue;
            }

            if (Named(property, source, drops))
            {
                changed = true;
                continue;
            }

            Separate(output, ref first);
            output.Write(source[property.Start..property.End]);
        }

        foreach (var extra in extras)
        {
            if (!Contains(drops, extra.Name))
            {
                Separate(output, ref first);
                output.Write(source[extra.Start..extra.End]);
            }
        }

        foreach (var fallback in deployment.RequestDefaults)
        {
            if (!Present(summary.Properties, source, fallback.Utf8Name) && !Present(summary.Properties, source, AliasOf(fallback.Name))
                && !Contains(drops, fallback.Utf8Name) && !Contains(extraNames, fallback.Utf8Name))
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

    // The members of an object-valued property: each one's unescaped name and where its "name": value sits in the body.
    private static List<(byte[] Name, int Start, int End)> Members(ReadOnlySpan<byte> body, JsonPropertySpan property)
    {
        var members = new List<(byte[] Name, int Start, int End)>();
        var reader = new Utf8JsonReader(body[property.ValueStart..property.End]);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = property.ValueStart + (int)reader.TokenStartIndex;
            var name = Encoding.UTF8.GetBytes(reader.GetString()!);
            reader.Read();
            reader.Skip();
            members.Add((name, start, property.ValueStart + (int)reader.BytesConsumed));
        }

        return members;
    }

    // The two names of the output limit: a request that sets either replaces a default for both (OpenAI refuses both at once).
    private static ReadOnlySpan<byte> AliasOf(string name) => name switch
    {
        "max_tokens" => "max_completion_tokens"u8,
        "max_completion_tokens" => "max_tokens"u8,
        _ => [],
    };

    private static bool Contains(byte[][] names, ReadOnlySpan<byte> name)
    {
        foreach (var candidate in names)
        {
            if (candidate.AsSpan().SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

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
