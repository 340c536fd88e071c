using System.Text.Json;

namespace LlmGate.Providers;

/// <summary>What an OpenAI chat request asks of a translated stream.</summary>
internal static class ChatStreamOptions
{
    /// <summary><c>stream_options.include_usage</c> asks for a last chunk with usage, as OpenAI sends it.</summary>
    public static bool IncludeUsage(ReadOnlySpan<byte> openAiBody)
    {
        var reader = new Utf8JsonReader(openAiBody);
        return reader.Read()
            && JsonProperties.Find(ref reader, "stream_options"u8)
            && JsonProperties.Find(ref reader, "include_usage"u8)
            && reader.TokenType == JsonTokenType.True;
    }
}
