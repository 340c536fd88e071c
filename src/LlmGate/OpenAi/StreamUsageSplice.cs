using System.Text.Json;

namespace LlmGate.OpenAi;

/// <summary>
/// Where the body sent upstream gets <c>stream_options.include_usage: true</c>: bytes <see cref="Start"/> to
/// <see cref="End"/> of the client's body replaced by <see cref="Insert"/>, the rest of the body untouched, so that
/// other <c>stream_options</c> members the client sent are kept.
/// </summary>
/// <param name="AddsProperty">The splice adds a top-level property after the last one (the client sent no <c>stream_options</c>).</param>
internal readonly record struct StreamUsageSplice(int Start, int End, byte[] Insert, bool AddsProperty = false)
{
    private static readonly byte[] NewProperty = "\"stream_options\":{\"include_usage\":true}"u8.ToArray();
    private static readonly byte[] NewObject = "{\"include_usage\":true}"u8.ToArray();
    private static readonly byte[] FirstMember = "\"include_usage\":true,"u8.ToArray();
    private static readonly byte[] OnlyMember = "\"include_usage\":true"u8.ToArray();
    private static readonly byte[] True = "true"u8.ToArray();

    /// <summary>The splice for a body whose <paramref name="summary"/> says the client did not ask for usage; null when there is nowhere to put it.</summary>
    public static StreamUsageSplice? For(ReadOnlySpan<byte> body, RequestSummary summary)
    {
        if (summary.IncludeUsage || summary.Properties.Count == 0)
        {
            return null;
        }

        if (summary.StreamOptionsIndex < 0)
        {
            var end = summary.Properties[^1].End;
            return new StreamUsageSplice(end, end, NewProperty, AddsProperty: true);
        }

        var property = summary.Properties[summary.StreamOptionsIndex];
        var value = body[property.ValueStart..property.End];
        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // null or not an object: OpenAI would refuse it anyway; ours is the object it needs.
            return new StreamUsageSplice(property.ValueStart, property.End, NewObject);
        }

        var open = property.ValueStart + (int)reader.TokenStartIndex + 1;
        var empty = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            empty = false;
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                // false or null: only the value changes.
                var start = property.ValueStart + (int)reader.TokenStartIndex;
                reader.Skip();
                return new StreamUsageSplice(start, property.ValueStart + (int)reader.BytesConsumed, True);
            }

            reader.Skip();
        }

        return new StreamUsageSplice(open, open, empty ? OnlyMember : FirstMember);
    }
}
