using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;

namespace LlmGate.Providers.Cohere;

/// <summary>
/// OpenAI's <c>/v1/embeddings</c> on Cohere's <c>POST /v2/embed</c>, both ways: the texts as documents to search
/// (LiteLLM's default <c>input_type</c>; a request may name another, as LiteLLM lets it), float vectors back.
/// </summary>
internal static class CohereEmbeddings
{
    public const string DefaultInputType = "search_document";

    public static byte[] ToEmbed(ReadOnlySpan<byte> openAiBody, string model)
    {
        var (request, inputs) = OpenAiEmbeddings.Read(openAiBody, "Cohere");
        var result = new JsonObject
        {
            ["model"] = model,
            ["texts"] = new JsonArray([.. inputs.Select(input => (JsonNode)input)]),
            ["input_type"] = OpenAiChatRequest.Text(request["input_type"]) ?? DefaultInputType,
            // Floats, whatever the client asked: base64 is OpenAI's encoding of them, written on the way back.
            ["embedding_types"] = new JsonArray("float"),
        };
        if (request["dimensions"] is { } dimensions)
        {
            result["output_dimension"] = dimensions.DeepClone();
        }

        return ProviderJson.ToUtf8(result, openAiBody.Length + 256);
    }

    /// <summary>
    /// Cohere's <c>{"embeddings":{"float":[[…]]},"meta":{"billed_units":{"input_tokens":N}}}</c> as OpenAI's list; the
    /// older <c>{"embeddings":[[…]]}</c> too.
    /// </summary>
    /// <exception cref="JsonException">The body is not an embed response.</exception>
    public static byte[] FromEmbed(ReadOnlySpan<byte> body, string model, bool base64, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var embeddings = ProviderJson.Property(root, "embeddings");
        var vectors = embeddings.ValueKind == JsonValueKind.Object ? ProviderJson.Property(embeddings, "float") : embeddings;
        if (vectors.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The body has no 'embeddings.float' list.");
        }

        var tokens = ProviderJson.Number(ProviderJson.Property(ProviderJson.Property(root, "meta"), "billed_units"), "input_tokens");
        usage = new TokenUsage(tokens, 0);
        return OpenAiEmbeddings.Write(vectors.EnumerateArray(), model, base64, tokens, body.Length);
    }
}
