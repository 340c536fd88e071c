using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>
/// OpenAI's <c>/v1/embeddings</c> as every translating provider reads and answers it: the text inputs of a request
/// (a string or a list; token arrays have no form outside OpenAI), and the answer's list of vectors, as floats or base64.
/// </summary>
internal static class OpenAiEmbeddings
{
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

    /// <summary>The request and its text inputs; throws <see cref="ProviderRequestException"/> for what <paramref name="provider"/> cannot embed.</summary>
    public static (JsonObject Request, List<string> Inputs) Read(ReadOnlySpan<byte> openAiBody, string provider)
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
                    inputs.Add(OpenAiChatRequest.Text(item) ?? throw new ProviderRequestException($"Token-array inputs are not supported by {provider}'s embeddings; send text.", "input"));
                }

                break;
            default:
                throw new ProviderRequestException("'input' must be a string or a non-empty list of strings.", "input");
        }

        return (request, inputs);
    }

    /// <summary>OpenAI's <c>{"object":"list","data":[…],"model","usage"}</c>, one entry per vector in order.</summary>
    /// <exception cref="JsonException">A vector is not a list of numbers.</exception>
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
                    throw new JsonException($"Embedding {index} is not a list of numbers.");
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
