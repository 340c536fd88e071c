using System.Text.Json;

namespace LlmGate.Providers;

/// <summary>Reads one property of a request body in place, without building a document (an embeddings input may be large).</summary>
internal static class JsonProperties
{
    /// <summary>
    /// With <paramref name="reader"/> on an object's start, moves it to the value of the property <paramref name="name"/>
    /// and returns true; false, past the object, when it has none.
    /// </summary>
    public static bool Find(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = reader.ValueTextEquals(name);
            reader.Read();
            if (found)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
