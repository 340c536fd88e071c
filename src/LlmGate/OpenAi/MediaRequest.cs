using System.Globalization;
using System.Text.Json;

namespace LlmGate.OpenAi;

/// <summary>The few fields of an images or speech request that price it: read from the client's bytes, nothing kept.</summary>
internal static class MediaRequest
{
    // OpenAI's default size for dall-e-2, dall-e-3 and gpt-image-1 alike, as LiteLLM assumes when none is given.
    private const long DefaultPixels = 1024 * 1024;

    /// <summary>The request's <c>n</c>: how many images it asks for (1 when absent).</summary>
    public static long ImagesAsked(ReadOnlySpan<byte> request)
    {
        try
        {
            var reader = new Utf8JsonReader(request);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isN = reader.ValueTextEquals("n"u8);
                    reader.Read();
                    if (isN)
                    {
                        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n > 0 ? n : 1;
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Counted as one image.
        }

        return 1;
    }

    /// <summary>The pixels of one image of the request's <c>size</c> (<c>"1792x1024"</c>); OpenAI's default for a missing or unreadable one (<c>"auto"</c>).</summary>
    public static long PixelsPerImage(ReadOnlySpan<byte> request)
    {
        var size = TopLevelString(request, "size"u8);
        var x = size?.IndexOf('x', StringComparison.OrdinalIgnoreCase) ?? -1;
        return x > 0
            && long.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && long.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            ? width * height
            : DefaultPixels;
    }

    /// <summary>A top-level string field of a JSON object body; null when absent, not a string, or not JSON.</summary>
    public static string? TopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (match)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing to read.
        }

        return null;
    }
}
