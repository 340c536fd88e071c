using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>Lenient reads of the fields a provider's body may carry or omit, and the JSON the translators write.</summary>
internal static class ProviderJson
{
    public static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A count; 0 when absent. Some providers write whole counts as floats (<c>5.0</c>).</summary>
    public static long Number(JsonElement element, string name) =>
        Property(element, name) is not { ValueKind: JsonValueKind.Number } value ? 0
        : value.TryGetInt64(out var number) ? number
        : (long)value.GetDouble();

    /// <summary>A value as compact JSON text: providers' answers may be indented, OpenAI's arguments are not.</summary>
    public static string Compact(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A tool call's arguments as OpenAI's JSON text: a provider's string kept as it is, an object written compact,
    /// anything else (none) as <c>{}</c>.
    /// </summary>
    public static string Arguments(JsonElement arguments) => arguments.ValueKind switch
    {
        JsonValueKind.String => arguments.GetString()!,
        JsonValueKind.Object => Compact(arguments),
        _ => "{}",
    };

    /// <summary>
    /// A fresh id in OpenAI's form (24 hex characters after the prefix), for providers that do not name their calls or
    /// answers. From <see cref="Random.Shared"/>, as call ids are (<see cref="Calls.CallIds"/>): a name, not a secret,
    /// and no read of <c>/dev/urandom</c> per answer as <see cref="Guid.NewGuid"/> makes on Linux.
    /// </summary>
    public static string NewId(string prefix)
    {
        Span<byte> bytes = stackalloc byte[12];
        Random.Shared.NextBytes(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    public static byte[] ToUtf8(JsonNode body, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            body.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
