using System.Text;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Proxy;

/// <summary>
/// <c>mock_response</c> for images, speech, transcriptions, moderations and rerank: the endpoint's own answer shape with the mock text
/// where it fits, so a client of those endpoints can be tried without an upstream.
/// </summary>
internal static class MediaMockAnswers
{
    /// <summary>The answer's content type and bytes.</summary>
    public static (string ContentType, byte[] Body) For(ProxyEndpointKind kind, string model, string text, long created) => kind switch
    {
        // Speech answers audio; a mock has none, so the text stands in for it.
        ProxyEndpointKind.AudioSpeech => ("audio/mpeg", Encoding.UTF8.GetBytes(text)),
        ProxyEndpointKind.ImageGenerations => ("application/json", Json(writer =>
        {
            writer.WriteNumber("created", created);
            writer.WriteStartArray("data");
            writer.WriteStartObject();
            writer.WriteString("url", "https://example.com/llmgate-mock.png");
            writer.WriteString("revised_prompt", text);
            writer.WriteEndObject();
            writer.WriteEndArray();
        })),
        ProxyEndpointKind.AudioTranscriptions or ProxyEndpointKind.AudioTranslations => ("application/json", Json(writer => writer.WriteString("text", text))),
        ProxyEndpointKind.Moderations => ("application/json", Json(writer =>
        {
            writer.WriteString("id", "modr-" + Guid.NewGuid().ToString("N"));
            writer.WriteString("model", model);
            writer.WriteStartArray("results");
            writer.WriteStartObject();
            writer.WriteBoolean("flagged", false);
            writer.WriteStartObject("categories");
            writer.WriteEndObject();
            writer.WriteStartObject("category_scores");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        })),
        _ => ("application/json", Json(writer =>
        {
            writer.WriteString("id", Guid.NewGuid().ToString());
            writer.WriteStartArray("results");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteNumber("relevance_score", 1.0);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject("meta");
            writer.WriteStartObject("billed_units");
            writer.WriteNumber("search_units", 1);
            writer.WriteEndObject();
            writer.WriteEndObject();
        })),
    };

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
