using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Embedding models behind Bedrock's <c>invoke</c>, with their own bodies, checked with Bedrock's schema words
/// (<c>Malformed input request: #: …</c>) and answered with <see cref="EmbeddingVectors.Vector"/>s (whatever
/// <c>normalize</c> asks). Titan Text Embeddings v1 (<c>{"inputText"}</c>) and v2 (<c>+ "dimensions": 256|512|1024,
/// "normalize", "embeddingTypes"</c>) answer <c>{"embedding","inputTextTokenCount"}</c>; Cohere Embed v3
/// (<c>{"texts","input_type","truncate"?,"embedding_types"?}</c>) answers <c>{"id","embeddings","texts","response_type"}</c>.
/// </summary>
internal static class BedrockEmbeddings
{
    private static readonly string[] CohereInputTypes = ["search_document", "search_query", "classification", "clustering"];

    private static readonly string[] CohereTypes = ["float", "int8", "uint8", "binary", "ubinary"];

    /// <summary>Titan's answer (and its input token count), or the error message.</summary>
    /// <param name="v2">Titan v2, which takes <c>dimensions</c>, <c>normalize</c> and <c>embeddingTypes</c>; v1 takes <c>inputText</c> only.</param>
    public static (JsonObject? Answer, string? Error, int Tokens) Titan(JsonObject request, bool v2)
    {
        string[] allowed = v2 ? ["inputText", "dimensions", "normalize", "embeddingTypes"] : ["inputText"];
        if (request.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k)) is { } extra)
        {
            return Refuse($"#: extraneous key [{extra}] is not permitted");
        }

        if (request["inputText"] is not JsonValue textValue || !textValue.TryGetValue<string>(out var text))
        {
            return Refuse(request["inputText"] is null ? "#: required key [inputText] not found" : "#/inputText: expected type: String");
        }

        if (text.Length == 0)
        {
            return Refuse("#/inputText: expected minLength: 1, actual: 0");
        }

        var dimensions = FakeBedrock.DefaultEmbeddingDimensions;
        if (request["dimensions"] is { } size)
        {
            if (!(size is JsonValue d && d.TryGetValue<int>(out dimensions) && dimensions is 256 or 512 or 1024))
            {
                return Refuse($"#/dimensions: {size.ToJsonString()} is not a valid enum value");
            }
        }

        if (request["normalize"] is { } normalize && !(normalize is JsonValue n && n.TryGetValue<bool>(out _)))
        {
            return Refuse($"#/normalize: expected type: Boolean, found: {normalize.GetValueKind()}");
        }

        var vector = EmbeddingVectors.Of(text, dimensions);
        var tokens = Words(text);
        var answer = new JsonObject { ["embedding"] = Floats(vector), ["inputTextTokenCount"] = tokens };
        if (request["embeddingTypes"] is { } types)
        {
            if (types is not JsonArray { Count: > 0 } list || list.Any(t => t?.ToString() is not ("float" or "binary")))
            {
                return Refuse($"#/embeddingTypes: {types.ToJsonString()} is not a list of [float, binary]");
            }

            answer["embeddingsByType"] = new JsonObject(list.Select(t => t!.ToString()).Distinct().Select(t =>
                new KeyValuePair<string, JsonNode?>(t, t == "float" ? Floats(vector) : new JsonArray([.. vector.Select(v => (JsonNode)(v >= 0 ? 1 : 0))]))));
        }

        return (answer, null, tokens);
    }

    /// <summary>Cohere Embed v3's answer (and its input token count), or the error message.</summary>
    public static (JsonObject? Answer, string? Error, int Tokens) Cohere(JsonObject request, string id)
    {
        string[] allowed = ["texts", "input_type", "truncate", "embedding_types"];
        if (request.Select(p => p.Key).FirstOrDefault(k => !allowed.Contains(k)) is { } extra)
        {
            return Refuse($"#: extraneous key [{extra}] is not permitted");
        }

        if (request["texts"] is not JsonArray { Count: >= 1 and <= 96 } texts || texts.Any(t => t is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            return Refuse(request["texts"] is null ? "#: required key [texts] not found" : "#/texts: expected a list of 1 to 96 strings");
        }

        if (request["input_type"] is null)
        {
            return Refuse("#: required key [input_type] not found");
        }

        if (!CohereInputTypes.Contains(request["input_type"]!.ToString()))
        {
            return Refuse($"#/input_type: {request["input_type"]!.ToJsonString()} is not a valid enum value");
        }

        if (request["truncate"] is { } truncate && truncate.ToString() is not ("NONE" or "START" or "END"))
        {
            return Refuse($"#/truncate: {truncate.ToJsonString()} is not a valid enum value");
        }

        string[] strings = [.. texts.Select(t => t!.GetValue<string>())];
        var vectors = strings.Select(t => EmbeddingVectors.Of(t, FakeBedrock.DefaultEmbeddingDimensions)).ToList();
        var answer = new JsonObject { ["id"] = id, ["texts"] = new JsonArray([.. strings.Select(t => (JsonNode)t)]) };
        if (request["embedding_types"] is not { } types)
        {
            answer["embeddings"] = new JsonArray([.. vectors.Select(v => (JsonNode)Floats(v))]);
            answer["response_type"] = "embeddings_floats";
        }
        else if (types is JsonArray { Count: > 0 } list && list.All(t => CohereTypes.Contains(t?.ToString())))
        {
            answer["embeddings"] = new JsonObject(list.Select(t => t!.ToString()).Distinct().Select(t =>
                new KeyValuePair<string, JsonNode?>(t, new JsonArray([.. vectors.Select(v => (JsonNode)Typed(v, t))]))));
            answer["response_type"] = "embeddings_by_type";
        }
        else
        {
            return Refuse($"#/embedding_types: {types.ToJsonString()} is not a list of [{string.Join(", ", CohereTypes)}]");
        }

        return (answer, null, strings.Sum(Words));
    }

    private static (JsonObject?, string?, int) Refuse(string problem) =>
        (null, $"Malformed input request: {problem}, please reformat your input and try again.", 0);

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static JsonArray Floats(float[] vector) => [.. vector.Select(v => (JsonNode)v)];

    // Cohere's typed embeddings: int8 and uint8 scale each value; binary and ubinary pack the signs, eight to a byte.
    private static JsonArray Typed(float[] vector, string type)
    {
        if (type == "float")
        {
            return Floats(vector);
        }

        if (type is "int8" or "uint8")
        {
            return [.. vector.Select(v => (JsonNode)((int)Math.Round(v * 127) + (type == "uint8" ? 128 : 0)))];
        }

        var packed = vector.Chunk(8).Select(bits => bits.Select((v, i) => v >= 0 ? 1 << (7 - i) : 0).Sum());
        return [.. packed.Select(b => (JsonNode)(type == "binary" ? b - 128 : b))];
    }
}
