using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// Gemini's embeddings: AI Studio's <c>batchEmbedContents</c> and Vertex AI's <c>predict</c>, checked as Google checks
/// them and answered with vectors derived from the text alone (<see cref="EmbeddingVectors.Of"/>), so a test can compare.
/// </summary>
internal static class GeminiEmbeddings
{
    /// <summary>The length of a vector when the request names no <c>outputDimensionality</c>.</summary>
    public const int DefaultDimensions = 8;

    private static readonly HashSet<string> BatchFields = ["requests"];

    private static readonly HashSet<string> EmbedFields = ["model", "content", "taskType", "title", "outputDimensionality"];

    private static readonly HashSet<string> PredictFields = ["instances", "parameters"];

    private static readonly HashSet<string> TaskTypes =
    [
        "TASK_TYPE_UNSPECIFIED", "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY", "CLASSIFICATION",
        "CLUSTERING", "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY",
    ];

    /// <summary>AI Studio's answer to <c>batchEmbedContents</c>, or the error message for the request.</summary>
    /// <param name="model">The model in the URL: each request must name it as <c>models/{model}</c>.</param>
    public static (JsonObject? Answer, string? Error) Batch(JsonObject request, string model)
    {
        if (GoogleJson.UnknownField(request, BatchFields, "") is { } unknown)
        {
            return (null, unknown);
        }

        if (request["requests"] is not JsonArray { Count: > 0 } requests)
        {
            return (null, "* BatchEmbedContentsRequest.requests: at least one request is required");
        }

        if (requests.Count > 100)
        {
            return (null, "* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch");
        }

        var embeddings = new JsonArray();
        for (var i = 0; i < requests.Count; i++)
        {
            var path = $"requests[{i}]";
            if (requests[i] is not JsonObject embed)
            {
                return (null, GoogleJson.InvalidValue(path, "type.googleapis.com/google.ai.generativelanguage.v1beta.EmbedContentRequest", requests[i]));
            }

            if (CheckEmbed(embed, path, model) is { } invalid)
            {
                return (null, invalid);
            }

            var text = string.Join(" ", GeminiContentsCheck.Texts(embed["content"]!.AsObject()));
            var dimensions = (int)(GoogleJson.Get(embed, "outputDimensionality")?.GetValue<long>() ?? DefaultDimensions);
            embeddings.Add(new JsonObject { ["values"] = Values(text, dimensions) });
        }

        return (new JsonObject { ["embeddings"] = embeddings }, null);
    }

    /// <summary>Vertex AI's answer to <c>predict</c> on an embedding model, or the error message for the request.</summary>
    public static (JsonObject? Answer, string? Error) Predict(JsonObject request)
    {
        if (GoogleJson.UnknownField(request, PredictFields, "") is { } unknown)
        {
            return (null, unknown);
        }

        if (request["instances"] is not JsonArray { Count: > 0 } instances)
        {
            return (null, "* PredictRequest.instances: instances is required and must be a non-empty list");
        }

        var dimensions = DefaultDimensions;
        if (request["parameters"] is { } parameters)
        {
            if (parameters is not JsonObject map || map.Any(p => p.Key is not ("outputDimensionality" or "autoTruncate")))
            {
                return (null, $"* PredictRequest.parameters: only outputDimensionality and autoTruncate are known (got {parameters.ToJsonString()})");
            }

            if (map["outputDimensionality"] is { } size)
            {
                if (!GoogleJson.IsInteger(size) || size.GetValue<long>() is < 1 or > 3072)
                {
                    return (null, $"* PredictRequest.parameters.outputDimensionality: must be an integer from 1 to 3072 (got {size.ToJsonString()})");
                }

                dimensions = (int)size.GetValue<long>();
            }
        }

        var predictions = new JsonArray();
        var characters = 0;
        for (var i = 0; i < instances.Count; i++)
        {
            // Instances are free-form values: their keys are taken literally, snake_case task_type included.
            if (instances[i] is not JsonObject instance || GoogleJson.StringOf(instance["content"]) is not { } content
                || instance.Any(p => p.Key is not ("content" or "task_type" or "title"))
                || (instance["task_type"] is { } task && !TaskTypes.Contains(GoogleJson.StringOf(task) ?? "")))
            {
                return (null, $"* PredictRequest.instances[{i}]: an instance is {{\"content\": string, \"task_type\"?: a task type, \"title\"?: string}} (got {instances[i]?.ToJsonString() ?? "null"})");
            }

            characters += content.Length;
            var statistics = new JsonObject
            {
                ["token_count"] = content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
                ["truncated"] = false,
            };
            predictions.Add(new JsonObject { ["embeddings"] = new JsonObject { ["values"] = Values(content, dimensions), ["statistics"] = statistics } });
        }

        return (new JsonObject { ["predictions"] = predictions, ["metadata"] = new JsonObject { ["billableCharacterCount"] = characters } }, null);
    }

    private static string? CheckEmbed(JsonObject embed, string path, string model)
    {
        if (GoogleJson.UnknownField(embed, EmbedFields, path) is { } unknown)
        {
            return unknown;
        }

        if (GoogleJson.StringOf(embed["model"]) != $"models/{model}")
        {
            return $"* BatchEmbedContentsRequest.{path}.model: the model {embed["model"]?.ToJsonString() ?? "(none)"} is not the model of the URL, \"models/{model}\"";
        }

        if (embed["content"] is not JsonObject content || content["parts"] is not JsonArray { Count: > 0 } parts
            || content.Any(p => p.Key is not ("parts" or "role")) || !parts.All(p => p is JsonObject part && part.Count == 1 && GoogleJson.StringOf(part["text"]) is not null))
        {
            return $"* BatchEmbedContentsRequest.{path}.content: content needs parts, each one text part (got {embed["content"]?.ToJsonString() ?? "nothing"})";
        }

        if (GoogleJson.Get(embed, "taskType") is { } task && !TaskTypes.Contains(GoogleJson.StringOf(task) ?? ""))
        {
            return GoogleJson.InvalidValue(path + ".task_type", "type.googleapis.com/google.ai.generativelanguage.v1beta.TaskType", task);
        }

        return GoogleJson.Get(embed, "outputDimensionality") is { } size && (!GoogleJson.IsInteger(size) || size.GetValue<long>() is < 1 or > 3072)
            ? $"* BatchEmbedContentsRequest.{path}.output_dimensionality: must be an integer from 1 to 3072 (got {size.ToJsonString()})"
            : null;
    }

    private static JsonArray Values(string text, int dimensions) => [.. EmbeddingVectors.Of(text, dimensions).Select(v => (JsonNode)v)];
}
