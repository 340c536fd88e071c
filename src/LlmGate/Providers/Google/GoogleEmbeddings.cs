using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;

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

        return ProviderJson.ToUtf8(new JsonObject { ["requests"] = requests }, openAiBody.Length + 256);
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

        return ProviderJson.ToUtf8(result, openAiBody.Length + 256);
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
        return OpenAiEmbeddings.Write(embeddings.Select(e => ProviderJson.Property(e, "values")), model, base64, 0, body.Length);
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
            if (ProviderJson.Property(ProviderJson.Property(ProviderJson.Property(prediction, "embeddings"), "statistics"), "token_count") is { ValueKind: JsonValueKind.Number } count)
            {
                tokens += (long)count.GetDouble();
            }
        }

        usage = new TokenUsage(tokens, 0);
        return OpenAiEmbeddings.Write(predictions.Select(p => ProviderJson.Property(ProviderJson.Property(p, "embeddings"), "values")), model, base64, tokens, body.Length);
    }

    private static (List<string> Inputs, JsonNode? Dimensions) Read(ReadOnlySpan<byte> openAiBody)
    {
        var (request, inputs) = OpenAiEmbeddings.Read(openAiBody, "Google");
        return (inputs, request["dimensions"]);
    }

    private static List<JsonElement> List(JsonElement root, string name) =>
        ProviderJson.Property(root, name) is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray()]
            : throw new JsonException($"The body has no '{name}' list.");
}
