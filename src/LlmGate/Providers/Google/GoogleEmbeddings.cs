using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;
using LlmGate.OpenAi;

namespace LlmGate.Providers.Google;

/// <summary>
/// OpenAI's <c>/v1/embeddings</c> on Google, both ways: Gemini's <c>batchEmbedContents</c> and Vertex AI's <c>predict</c>.
/// Inputs are text (a string or a list); token arrays have no Google form.
/// </summary>
internal static class GoogleEmbeddings
{
    /// <summary>The body of Gemini's <c>models/{model}:batchEmbedContents</c>: one request per input.</summary>
    public static byte[] ToGeminiBatch(ReadOnlySpan<byte> openAiBody, string model)
    {
        var (inputs, dimensions) = Read(openAiBody);
        var name = model.StartsWith("models/", StringComparison.Ordinal) ? model : "models/" + model;
        var requests = new JsonArray();
        foreach (var input in inputs)
        {
            var request = new JsonObject
            {
                ["model"] = name,
                ["content"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = input }) },
            };
            if (dimensions is not null)
            {
                request["outputDimensionality"] = dimensions.DeepClone();
            }

            requests.Add(request);
        }

        return GoogleJson.ToUtf8(new JsonObject { ["requests"] = requests }, openAiBody.Length + 256);
    }

    /// <summary>The body of Vertex AI's <c>publishers/google/models/{model}:predict</c>.</summary>
    public static byte[] ToVertexPredict(ReadOnlySpan<byte> openAiBody)
    {
        var (inputs, dimensions) = Read(openAiBody);
        var result = new JsonObject { ["instances"] = new JsonArray([.. inputs.Select(input => new JsonObject { ["content"] = input })]) };
        if (dimensions is not null)
        {
            result["parameters"] = new JsonObject { ["outputDimensionality"] = dimensions.DeepClone() };
        }

        return GoogleJson.ToUtf8(result, openAiBody.Length + 256);
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

    /// <summary>
    /// Gemini's <c>{"embeddings":[{"values":[…]}]}</c> as OpenAI's list. Gemini reports no token counts, so usage is 0.
    /// </summary>
    /// <exception cref="JsonException">The body is not a batch of embeddings.</exception>
    public static byte[] FromGeminiBatch(ReadOnlySpan<byte> body, string model, bool base64, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var embeddings = List(document.RootElement, "embeddings");
        usage = new TokenUsage(0, 0);
        return Write(embeddings.Select(e => GoogleJson.Property(e, "values")), model, base64, 0, body.Length);
    }

    /// <summary>Vertex AI's <c>{"predictions":[{"embeddings":{"values":[…],"statistics":{"token_count":5}}}]}</c> as OpenAI's list.</summary>
    /// <exception cref="JsonException">The body is not a list of predictions.</exception>
    public static byte[] FromVertexPredict(ReadOnlySpan<byte> body, string model, bool base64, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var predictions = List(document.RootElement, "predictions");
        long tokens = 0;
        foreach (var prediction in predictions)
        {
            // Vertex writes the count as a float (5.0) on some models.
            if (GoogleJson.Property(GoogleJson.Property(GoogleJson.Property(prediction, "embeddings"), "statistics"), "token_count") is { ValueKind: JsonValueKind.Number } count)
            {
                tokens += (long)count.GetDouble();
            }
        }

        usage = new TokenUsage(tokens, 0);
        return Write(predictions.Select(p => GoogleJson.Property(GoogleJson.Property(p, "embeddings"), "values")), model, base64, tokens, body.Length);
    }

    private static (List<string> Inputs, JsonNode? Dimensions) Read(ReadOnlySpan<byte> openAiBody)
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
                    inputs.Add(OpenAiChatRequest.Text(item) ?? throw new ProviderRequestException("Token-array inputs are not supported by Google's embeddings; send text.", "input"));
                }

                break;
            default:
                throw new ProviderRequestException("'input' must be a string or a non-empty list of strings.", "input");
        }

        return (inputs, request["dimensions"]);
    }

    private static List<JsonElement> List(JsonElement root, string name) =>
        GoogleJson.Property(root, name) is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray()]
            : throw new JsonException($"The body has no '{name}' list.");

    private static byte[] Write(IEnumerable<JsonElement> vectors, string model, bool base64, long promptTokens, int sizeHint)
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
                    throw new JsonException($"Embedding {index} has no 'values' list.");
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
