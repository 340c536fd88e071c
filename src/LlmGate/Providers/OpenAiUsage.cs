using System.Text.Json;
using LlmGate.Calls;

namespace LlmGate.Providers;

/// <summary>Reads OpenAI's <c>usage</c> object from an answer or a chunk that passes through as bytes.</summary>
internal static class OpenAiUsage
{
    /// <summary>A JSON string's quotes are escaped inside strings, so these bytes only occur as a key or a value <c>"usage"</c>.</summary>
    public static ReadOnlySpan<byte> Key => "\"usage\""u8;

    /// <summary>
    /// The index of the <c>{</c> opening the object of the <see cref="Key"/> at <paramref name="key"/>: -1 when
    /// <paramref name="data"/> ends first, -2 when it is no usage object (<c>"usage":null</c>, a value <c>"usage"</c>).
    /// </summary>
    public static int ObjectStart(ReadOnlySpan<byte> data, int key)
    {
        var colon = false;
        for (var i = key + Key.Length; i < data.Length; i++)
        {
            switch (data[i])
            {
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                    continue;
                case (byte)':' when !colon:
                    colon = true;
                    continue;
                case (byte)'{' when colon:
                    return i;
                default:
                    return -2;
            }
        }

        return -1;
    }

    /// <summary>
    /// With <paramref name="reader"/> on the object's start, reads it to its end. False when the data ran out first (a
    /// reader over a partial buffer); <paramref name="usage"/> is null when the object has no token count.
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader reader, out TokenUsage? usage)
    {
        usage = null;
        long prompt = 0, completion = 0, cached = 0;
        var counted = false;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                break;
            }

            // The images API (gpt-image) names them input_tokens and output_tokens.
            var isPrompt = reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8);
            var isCompletion = reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8);
            var isTotal = reader.ValueTextEquals("total_tokens"u8);
            var isDetails = reader.ValueTextEquals("prompt_tokens_details"u8);
            if (!reader.Read())
            {
                return false;
            }

            if (isPrompt || isCompletion || isTotal)
            {
                var value = Count(ref reader);
                counted |= reader.TokenType == JsonTokenType.Number;
                (prompt, completion) = isPrompt ? (value, completion) : isCompletion ? (prompt, value) : (prompt, completion);
            }
            else if (isDetails && reader.TokenType == JsonTokenType.StartObject)
            {
                if (!TryReadCached(ref reader, out cached))
                {
                    return false;
                }
            }
            else if (!reader.TrySkip())
            {
                return false;
            }
        }

        // An embeddings answer has prompt_tokens and total_tokens only: no completion.
        usage = counted ? new TokenUsage(prompt, completion, cached) : null;
        return true;
    }

    private static bool TryReadCached(ref Utf8JsonReader reader, out long cached)
    {
        cached = 0;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return true;
            }

            var isCached = reader.ValueTextEquals("cached_tokens"u8);
            if (!reader.Read())
            {
                return false;
            }

            if (isCached)
            {
                cached = Count(ref reader);
            }
            else if (!reader.TrySkip())
            {
                return false;
            }
        }
    }

    // Some servers write counts as 12.0; null and other tokens count nothing.
    private static long Count(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.Number ? 0 : reader.TryGetInt64(out var count) ? count : (long)reader.GetDouble();
}
