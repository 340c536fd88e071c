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
    /// <summary>The endpoints whose answer <see cref="OfAnswer"/> reads.</summary>
    public static bool IsCounted(ProxyEndpointKind kind) =>
        kind is ProxyEndpointKind.ImageGenerations or ProxyEndpointKind.Rerank or ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations;

    /// <summary>Speech: the characters of <c>input</c> (UTF-16 code units, as LiteLLM's <c>len(input)</c> nearly counts them).</summary>
    public static TokenUsage? OfRequest(ProviderCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Kind == ProxyEndpointKind.AudioSpeech && MediaRequest.TopLevelString(call.Body.Span, "input"u8) is { } input
            ? new TokenUsage(0, 0) { Characters = input.Length }
            : null;
    }

    /// <summary>
    /// Images: the answer's <c>data</c> items and their pixels; rerank: its search units; transcriptions: the seconds or
    /// tokens of its <c>usage</c>. <paramref name="tokens"/> (gpt-image's usage) is kept.
    /// </summary>
    public static TokenUsage? OfAnswer(ProviderCall call, ReadOnlySpan<byte> answer, TokenUsage? tokens)
    {
        ArgumentNullException.ThrowIfNull(call);
        var usage = tokens ?? new TokenUsage(0, 0);
        try
        {
            if (call.Kind == ProxyEndpointKind.ImageGenerations)
            {
                var images = CountData(answer);
                return images < 0 ? tokens : usage with { Images = images, Pixels = images * MediaRequest.PixelsPerImage(call.Body.Span) };
            }

            return call.Kind switch
            {
                ProxyEndpointKind.Rerank => usage with { SearchUnits = SearchUnits(answer) ?? 1 },
                ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations => Transcription(answer) ?? tokens,
                _ => tokens,
            };
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

    // OpenAI's usage of a transcription: {"type":"duration","seconds":9} (whisper-1) or {"type":"tokens","input_tokens":..,
    // "output_tokens":..} (gpt-4o-transcribe); verbose_json's top-level duration otherwise. A text, srt or vtt answer has
    // neither: it stays unpriced.
    private static TokenUsage? Transcription(ReadOnlySpan<byte> answer)
    {
        if (answer.IsEmpty || answer[0] != (byte)'{')
        {
            return null;
        }

        using var document = JsonDocument.Parse(answer.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            if (usage.TryGetProperty("seconds", out var seconds) && seconds.TryGetDouble(out var heard))
            {
                return new TokenUsage(0, 0) { AudioSeconds = heard };
            }

            if (usage.TryGetProperty("input_tokens", out var input) && input.TryGetInt64(out var prompt))
            {
                return new TokenUsage(prompt, usage.TryGetProperty("output_tokens", out var output) && output.TryGetInt64(out var completion) ? completion : 0);
            }
        }

        return root.TryGetProperty("duration", out var duration) && duration.TryGetDouble(out var length)
            ? new TokenUsage(0, 0) { AudioSeconds = length }
            : null;
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
}
