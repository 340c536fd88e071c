using System.Text.Json;

namespace LlmGate.Providers;

/// <summary>What an OpenAI chat request asks of a translated stream.</summary>
internal static class ChatStreamOptions
{
    /// <summary><c>stream_options.include_usage</c> asks for a last chunk with usage, as OpenAI sends it.</summary>
    public static bool IncludeUsage(ReadOnlySpan<byte> openAiBody)
    {
        var reader = new Utf8JsonReader(openAiBody);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOptions = reader.ValueTextEquals("stream_options"u8);
            reader.Read();
            if (isOptions && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isUsage = reader.ValueTextEquals("include_usage"u8);
                    reader.Read();
                    if (isUsage)
                    {
                        return reader.TokenType == JsonTokenType.True;
                    }

                    reader.Skip();
                }

                return false;
            }

            reader.Skip();
        }

        return false;
    }
}
