using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Calls;

namespace LlmGate.Providers.Aws;

/// <summary>
/// OpenAI's <c>/v1/embeddings</c> on Bedrock's InvokeModel, both ways, for the two model families LiteLLM maps: Amazon
/// Titan (<c>amazon.titan-embed-text-*</c>: one text per call) and Cohere (<c>cohere.embed-*</c>: a list per call).
/// Inputs are text; token arrays have no Bedrock form.
/// </summary>
internal static class BedrockEmbeddings
{
    private const string Provider = "Bedrock's embeddings";

    /// <summary>
    /// Titan's bodies, one per input (<c>{"inputText":…}</c>; <c>dimensions</c> and LiteLLM's <c>normalize</c> as given,
    /// which only Titan v2 takes), for one InvokeModel call each, in input order.
    /// </summary>
    public static IReadOnlyList<byte[]> ToTitan(ReadOnlySpan<byte> openAiBody)
    {
        var (request, inputs) = OpenAiEmbeddings.Read(openAiBody, Provider);
        var bodies = new List<byte[]>(inputs.Count);
        foreach (var input in inputs)
        {
            var body = new JsonObject { ["inputText"] = input };
            foreach (var name in (ReadOnlySpan<string>)["dimensions", "normalize"])
            {
                if (request[name] is { } value)
                {
                    body[name] = value.DeepClone();
                }
            }

            bodies.Add(ProviderJson.ToUtf8(body, input.Length + 64));
        }

        return bodies;
    }

    /// <summary>Titan's answers (<c>{"embedding":[…],"inputTextTokenCount":N}</c>, in input order) as OpenAI's list; their counts summed.</summary>
    /// <exception cref="JsonException">An answer is not a Titan embedding.</exception>
    public static byte[] FromTitan(IReadOnlyList<ReadOnlyMemory<byte>> answers, string model, bool base64, out TokenUsage usage)
    {
        var documents = new List<JsonDocument>(answers.Count);
        try
        {
            long tokens = 0;
            foreach (var answer in answers)
            {
                var document = JsonDocument.Parse(answer);
                documents.Add(document);
                tokens += ProviderJson.Number(document.RootElement, "inputTextTokenCount");
            }

            usage = new TokenUsage(tokens, 0);
            return OpenAiEmbeddings.Write(
                documents.Select(d => ProviderJson.Property(d.RootElement, "embedding")), model, base64, tokens, answers.Sum(a => a.Length));
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>
    /// Cohere's body: <c>{"texts":[…],"input_type":"search_document"}</c> (LiteLLM's default input type, for texts to be
    /// searched); Cohere's own <c>input_type</c> and <c>truncate</c> as given, <c>dimensions</c> as <c>output_dimension</c>.
    /// </summary>
    public static byte[] ToCohere(ReadOnlySpan<byte> openAiBody)
    {
        var (request, inputs) = OpenAiEmbeddings.Read(openAiBody, Provider);
        var body = new JsonObject
        {
            ["texts"] = new JsonArray([.. inputs.Select(input => JsonValue.Create(input))]),
            ["input_type"] = request["input_type"]?.DeepClone() ?? "search_document",
        };
        if (request["truncate"] is { } truncate)
        {
            body["truncate"] = truncate.DeepClone();
        }

        if (request["dimensions"] is { } dimensions)
        {
            body["output_dimension"] = dimensions.DeepClone();
        }

        return ProviderJson.ToUtf8(body, openAiBody.Length + 64);
    }

    /// <summary>
    /// Cohere's answer (<c>{"embeddings":[[…]]}</c>, or <c>{"embeddings":{"float":[[…]]}}</c> when typed) as OpenAI's list.
    /// Cohere's body has no token count: Bedrock sends it in the <c>X-Amzn-Bedrock-Input-Token-Count</c> header.
    /// </summary>
    /// <param name="promptTokens">That header's count, or 0.</param>
    /// <exception cref="JsonException">The body is not a list of embeddings.</exception>
    public static byte[] FromCohere(ReadOnlySpan<byte> body, string model, bool base64, long promptTokens, out TokenUsage usage)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var embeddings = ProviderJson.Property(document.RootElement, "embeddings");
        if (embeddings.ValueKind == JsonValueKind.Object)
        {
            embeddings = ProviderJson.Property(embeddings, "float");
        }

        if (embeddings.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The body is not a Cohere embeddings answer: it has no 'embeddings' list.");
        }

        usage = new TokenUsage(promptTokens, 0);
        return OpenAiEmbeddings.Write(embeddings.EnumerateArray(), model, base64, promptTokens, body.Length);
    }
}
