using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>
/// OpenAI's <c>/v1/embeddings</c> as every translating provider reads and answers it: text inputs in, a list of
/// vectors out (as floats, or as base64 when the client asks for it).
/// </summary>
internal static class OpenAiEmbeddings
{
    /// <summary>The request's text inputs (a string or a list of strings), and the request for the fields a provider maps.</summary>
    /// <param name="provider">Names the provider in the refusal of token-array inputs, which no translated provider takes.</param>
    public static (List<string> Inputs, JsonObject Request) Read(ReadOnlySpan<byte> openAiBody, string provider)
    {
        var request = JsonNode.Parse(openAiBody) as JsonObject
            ?? throw new ProviderRequestException("The request body must be a JSON object.");
        if (request["encoding_format"] is { } format && OpenAiChatRequest.Text(format) is not ("float" or "base64"))
        {
            throw new ProviderRequestException("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
        }

        var inputs = new List<string>();
        switch (request["input"])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                inputs.Add(value.GetValue<string>());
                break;
            case JsonArray { Count: > 0 } list:
                foreach (var item in list)
                {
                    inputs.Add(OpenAiChatRequest.Text(item) ?? throw new ProviderRequestException($"Token-array inputs are not supported by {provider}; send text.", "input"));
                }

                break;
            default:
                throw new ProviderRequestException("'input' must be a string or a non-empty list of strings.", "input");
        }

        return (inputs, request);
    }

    /// <summary>
    /// <c>encoding_format: "base64"</c>: each vector as the base64 of its little-endian float32 values. The official
    /// OpenAI SDKs ask for it by default.
    /// </summary>
    public static bool WantsBase64(ReadOnlySpan<byte> openAiBody)
    {
        var reader = new Utf8JsonReader(openAiBody);
        return reader.Read()
            && JsonProperties.Find(ref reader, "encoding_format"u8)
            && reader.TokenType == JsonTokenType.String
            && reader.ValueTextEquals("base64"u8);
    }

    /// <summary>OpenAI's answer: the vectors (JSON arrays of numbers, in input order) as a list, and the prompt tokens.</summary>
    /// <exception cref="JsonException">A vector is not a list.</exception>
    public static byte[] Write(IEnumerable<JsonElement> vectors, string model, bool base64, long promptTokens, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint + 256);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            var index = 0;
            foreach (var values in vectors)
            {
                if (values.ValueKind != JsonValueKind.Array)
                {
                    throw new JsonException($"Embedding {index} has no list of values.");
                }

                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", index++);
                if (base64)
                {
                    var bytes = new byte[values.GetArrayLength() * sizeof(float)];
                    var offset = 0;
                    foreach (var value in values.EnumerateArray())
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value.GetSingle());
                        offset += sizeof(float);
                    }

                    writer.WriteBase64String("embedding", bytes);
                }
                else
                {
                    writer.WritePropertyName("embedding");
                    values.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", promptTokens);
            writer.WriteNumber("total_tokens", promptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
