namespace LlmGate.OpenAi;

/// <summary>Where a top-level property of the request body sits: its name's opening quote, its value's start, and the end of its value.</summary>
internal readonly record struct JsonPropertySpan(int Start, int ValueStart, int End, bool GatewayOnly)
{
    /// <summary>Whether the property's name in <paramref name="body"/> is <paramref name="utf8Name"/>; raw bytes first, an escaped name decoded.</summary>
    public bool NameIs(ReadOnlySpan<byte> body, ReadOnlySpan<byte> utf8Name)
    {
        if (ValueStart - Start > utf8Name.Length + 1
            && body.Slice(Start + 1, utf8Name.Length).SequenceEqual(utf8Name)
            && body[Start + 1 + utf8Name.Length] == (byte)'"')
        {
            return true;
        }

        var name = body[Start..ValueStart];
        if (name.IndexOf((byte)'\\') < 0)
        {
            return false;
        }

        var reader = new System.Text.Json.Utf8JsonReader(name[..(name.LastIndexOf((byte)'"') + 1)]);
        return reader.Read() && reader.ValueTextEquals(utf8Name);
    }
}
