using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Cohere's <c>POST /v2/embed</c> for texts, checked as Cohere checks it (its fields only, a model, an input type, one to
/// 96 texts, the embedding types it knows, the output dimensions it offers) and answered with vectors derived from the
/// text alone (<see cref="EmbeddingVectors.Of"/>), float and, when asked, int8.
/// </summary>
internal static class CohereEmbed
{
    /// <summary>The length of a vector when the request names no <c>output_dimension</c> (Cohere's are longer; tests read these).</summary>
    public const int DefaultDimensions = 8;

    private static readonly HashSet<string> Fields =
        ["texts", "images", "model", "input_type", "inputs", "max_tokens", "output_dimension", "embedding_types", "truncate", "priority"];

    private static readonly HashSet<string> InputTypes = ["search_document", "search_query", "classification", "clustering", "image"];

    private static readonly HashSet<string> EmbeddingTypes = ["float", "int8", "uint8", "binary", "ubinary", "base64"];

    /// <summary>Cohere's answer, or its message for the first thing wrong with the request.</summary>
    public static (JsonObject? Answer, string? Error) Answer(JsonObject request, string id)
    {
        if (request.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown)
        {
            return (null, $"invalid request: unknown field \"{unknown}\"");
        }

        if (CohereRequestCheck.Text(request["model"]) is not { Length: > 0 })
        {
            return (null, "invalid request: model must be a non-empty string");
        }

        if (CohereRequestCheck.Text(request["input_type"]) is not { } inputType || !InputTypes.Contains(inputType))
        {
            return (null, $"invalid request: input_type must be one of {string.Join(", ", InputTypes)} (got {request["input_type"]?.ToJsonString() ?? "none"})");
        }

        if (request["texts"] is not JsonArray { Count: >= 1 and <= 96 } texts || !texts.All(t => CohereRequestCheck.Text(t) is not null))
        {
            return (null, "invalid request: texts must be a list of 1 to 96 strings");
        }

        if (request["embedding_types"] is not JsonArray { Count: > 0 } types || !types.All(t => EmbeddingTypes.Contains(CohereRequestCheck.Text(t) ?? "")))
        {
            return (null, $"invalid request: embedding_types is required in v2, a list of {string.Join(", ", EmbeddingTypes)}");
        }

        var dimensions = DefaultDimensions;
        if (request["output_dimension"] is { } size)
        {
            if (size is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<int>(out dimensions) || dimensions is not (256 or 512 or 1024 or 1536))
            {
                return (null, $"invalid request: output_dimension must be one of 256, 512, 1024, 1536 (got {size.ToJsonString()})");
            }
        }

        var strings = texts.Select(t => CohereRequestCheck.Text(t)!).ToList();
        var embeddings = new JsonObject();
        foreach (var type in types.Select(t => CohereRequestCheck.Text(t)!).Distinct())
        {
            if (type == "float")
            {
                embeddings["float"] = new JsonArray([.. strings.Select(t => (JsonNode)new JsonArray([.. EmbeddingVectors.Of(t, dimensions).Select(v => (JsonNode)v)]))]);
            }
            else if (type == "int8")
            {
                embeddings["int8"] = new JsonArray([.. strings.Select(t => (JsonNode)new JsonArray([.. EmbeddingVectors.Of(t, dimensions).Select(v => (JsonNode)(int)(v * 127))]))]);
            }
        }

        return (new JsonObject
        {
            ["id"] = id,
            ["texts"] = new JsonArray([.. strings.Select(t => (JsonNode)t)]),
            ["embeddings"] = embeddings,
            ["meta"] = new JsonObject
            {
                ["api_version"] = new JsonObject { ["version"] = "2" },
                ["billed_units"] = new JsonObject { ["input_tokens"] = strings.Sum(FakeText.Words) },
            },
            ["response_type"] = "embeddings_by_type",
        }, null);
    }
}
