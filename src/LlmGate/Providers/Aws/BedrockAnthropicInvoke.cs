using System.Text.Json;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Claude through Bedrock's InvokeModel (<c>bedrock/invoke/anthropic.*</c>): the body is Anthropic's Messages request
/// without <c>model</c> (it is in the URL) and with Bedrock's <c>anthropic_version</c>; the answer is Anthropic's
/// message, read by <see cref="AnthropicResponseTranslator"/>. The stream (InvokeModelWithResponseStream) is an event
/// stream whose <c>chunk</c> events carry Anthropic's stream events, base64 in <c>{"bytes":…}</c>.
/// </summary>
internal static class BedrockAnthropicInvoke
{
    public const string AnthropicVersion = "bedrock-2023-05-31";

    /// <summary>The same body for invoke and invoke-with-response-stream: Bedrock streams by the URL, not a <c>stream</c> field.</summary>
    public static byte[] Translate(ReadOnlySpan<byte> openAiChatBody) =>
        AnthropicRequestTranslator.TranslateForPlatform(openAiChatBody, AnthropicVersion, stream: false);

    /// <summary>A <c>chunk</c> event's payload as the Anthropic event it carries, typed by the event's <c>type</c>, as its SSE <c>event:</c> would be.</summary>
    /// <exception cref="JsonException">The payload carries no base64 <c>bytes</c> of a JSON object.</exception>
    public static UpstreamEvent Unwrap(ReadOnlyMemory<byte> chunk)
    {
        byte[] anthropicEvent;
        using (var document = JsonDocument.Parse(chunk))
        {
            var bytes = ProviderJson.Property(document.RootElement, "bytes");
            if (bytes.ValueKind != JsonValueKind.String || !bytes.TryGetBytesFromBase64(out var decoded))
            {
                throw new JsonException("A Bedrock invoke stream chunk has no base64 'bytes'.");
            }

            anthropicEvent = decoded;
        }

        var reader = new Utf8JsonReader(anthropicEvent);
        var type = reader.Read() && JsonProperties.Find(ref reader, "type"u8) && reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
        return new UpstreamEvent(type, anthropicEvent);
    }
}
