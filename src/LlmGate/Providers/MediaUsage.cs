using System.Globalization;
using System.Text.Json;
using LlmGate.Calls;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>
/// What the media endpoints are priced by, beyond tokens: images and their pixels, characters spoken, rerank search
/// units. Read only on those endpoints, from the request or the answer the relay holds anyway.
/// </summary>
internal static class MediaUsage
{
    // OpenAI's default size for dall-e-2, dall-e-3 and gpt-image-1 alike, as LiteLLM assumes when none is given.
    private const long DefaultPixels = 1024 * 1024;

    /// <summary>The endpoints whose answer <see cref="OfAnswer"/> reads.</summary>
    public static bool IsCounted(ProxyEndpointKind kind) => kind is ProxyEndpointKind.ImageGenerations or ProxyEndpointKind.Rerank;

    /// <summary>Speech: the characters of <c>input</c> (UTF-16 code units, as LiteLLM's <c>len(input)</c> nearly counts them).</summary>
    public static TokenUsage? OfRequest(ProviderCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Kind == ProxyEndpointKind.AudioSpeech && TopLevelString(call.Body.Span, "input"u8) is { } input
            ? new TokenUsage(0, 0) { Characters = input.Length }
            : null;
    }

    /// <summary>
    /// The most a media call's units can come to, for a budget's reservation: <c>n</c> images (1 by default) at the
    /// request's size, every byte of the body a character, one rerank search unit. Null for other endpoints.
    /// </summary>
    public static TokenUsage? Estimate(ProxyEndpointKind kind, ReadOnlySpan<byte> body) => kind switch
    {
        ProxyEndpointKind.ImageGenerations => new TokenUsage(0, 0) { Images = ImagesAsked(body), Pixels = ImagesAsked(body) * PixelsOf(body) },
        ProxyEndpointKind.AudioSpeech => new TokenUsage(0, 0) { Characters = body.Length },
        ProxyEndpointKind.Rerank => new TokenUsage(0, 0) { SearchUnits = 1 },
        ProxyEndpointKind.Moderations => new TokenUsage(0, 0),
        _ => null,
    };

    /// <summary>Images: the answer's <c>data</c> items and their pixels; rerank: its search units. <paramref name="tokens"/> (gpt-image's usage) is kept.</summary>
    public static TokenUsage? OfAnswer(ProviderCall call, ReadOnlySpan<byte> answer, TokenUsage? tokens)
    {
        ArgumentNullException.ThrowIfNull(call);
        var usage = tokens ?? new TokenUsage(0, 0);
        try
        {
            if (call.Kind == ProxyEndpointKind.ImageGenerations)
            {
                var images = CountData(answer);
                return images < 0 ? tokens : usage with { Images = images, Pixels = images * PixelsOf(call.Body.Span) };
            }

            return call.Kind == ProxyEndpointKind.Rerank ? usage with { SearchUnits = SearchUnits(answer) ?? 1 } : tokens;
        }
        catch (JsonException)
        {
            // Not the answer's JSON we expected: unpriced, as a call without usage is; the client still gets it.
            return tokens;
        }
    }

    // -1 when the answer has no data array.
    private static long CountData(ReadOnlySpan<byte> answer)
    {
        var reader = new Utf8JsonReader(answer);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return -1;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isData && reader.TokenType == JsonTokenType.StartArray)
            {
                long count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    count++;
                    reader.Skip();
                }

                return count;
            }

            reader.Skip();
        }

        return -1;
    }

    // meta.billed_units.search_units
    private static long? SearchUnits(ReadOnlySpan<byte> answer)
    {
        using var document = JsonDocument.Parse(answer.ToArray());
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("billed_units", out var billed) && billed.ValueKind == JsonValueKind.Object
            && billed.TryGetProperty("search_units", out var units) && units.TryGetInt64(out var count)
            ? count
            : null;
    }

    // "1792x1024" → its pixels; OpenAI's default for a missing or unreadable size ("auto").
    private static long PixelsOf(ReadOnlySpan<byte> request)
    {
        var size = TopLevelString(request, "size"u8);
        var x = size?.IndexOf('x', StringComparison.OrdinalIgnoreCase) ?? -1;
        return x > 0
            && long.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && long.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            ? width * height
            : DefaultPixels;
    }

    private static long ImagesAsked(ReadOnlySpan<byte> request)
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

    private static string? TopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
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
            // The handler already parsed the body; a provider-side surprise here only leaves the call unpriced.
        }

        return null;
    }
}
