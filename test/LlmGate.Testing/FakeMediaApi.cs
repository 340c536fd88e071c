using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// OpenAI's images, speech and moderations endpoints and the Cohere-shaped rerank that vLLM, Jina and Infinity serve, as
/// <see cref="FakeUpstream"/> answers them: the required field checked, a small answer of the real shape. Speech sends
/// its audio in two halves and, given a hold, waits between them, so a test sees the first half arrive on its own.
/// </summary>
public static class FakeMediaApi
{
    /// <summary>The fake audio: 64 KB of a recognisable pattern, far more than one read.</summary>
    public static byte[] Audio { get; } = [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i % 251))];

    public static bool Serves(string kind) => kind is "images" or "speech" or "moderations" or "rerank";

    public static async Task AnswerAsync(HttpContext context, string kind, JsonObject request, TaskCompletionSource? hold)
    {
        var required = kind switch { "images" => "prompt", "rerank" => "query", _ => "input" };
        if (request[required] is null)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { message = $"Missing required parameter: '{required}'.", type = "invalid_request_error", param = required, code = "missing_required_parameter" } });
            return;
        }

        var model = (string)request["model"]!;
        switch (kind)
        {
            case "images":
                var n = request["n"] is JsonValue count ? count.GetValue<int>() : 1;
                await context.Response.WriteAsJsonAsync(new
                {
                    created = 1_700_000_000,
                    data = Enumerable.Range(0, n).Select(i => new { url = $"https://images.example/{model}/{i}.png", revised_prompt = (string?)request["prompt"] }).ToArray(),
                });
                break;
            case "speech":
                context.Response.ContentType = (string?)request["response_format"] switch { "wav" => "audio/wav", "opus" => "audio/ogg", _ => "audio/mpeg" };
                await context.Response.Body.WriteAsync(Audio.AsMemory(0, Audio.Length / 2), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (hold is not null)
                {
                    await hold.Task.WaitAsync(context.RequestAborted);
                }

                await context.Response.Body.WriteAsync(Audio.AsMemory(Audio.Length / 2), context.RequestAborted);
                break;
            case "moderations":
                var flagged = ((string?)request["input"] ?? "").Contains("kill", StringComparison.OrdinalIgnoreCase);
                await context.Response.WriteAsJsonAsync(new
                {
                    id = "modr-fake",
                    model,
                    results = new[] { new { flagged, categories = new { violence = flagged }, category_scores = new { violence = flagged ? 0.97 : 0.01 } } },
                });
                break;
            default:
                await context.Response.WriteAsync(RerankAnswer(request).ToJsonString());
                break;
        }
    }

    /// <summary>Cohere's rerank answer: documents ranked by how many of the query's words they hold, <c>top_n</c> of them, one search unit.</summary>
    public static JsonObject RerankAnswer(JsonObject request)
    {
        var words = ((string?)request["query"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var documents = request["documents"]?.AsArray().Select(d => d is JsonObject o ? (string?)o["text"] ?? "" : (string?)d ?? "").ToList() ?? [];
        var top = request["top_n"] is JsonValue topN ? topN.GetValue<int>() : documents.Count;
        var returnDocuments = request["return_documents"] is JsonValue flag && flag.GetValue<bool>();
        var results = new JsonArray();
        foreach (var (text, index) in documents.Select((d, i) => (d, i))
            .OrderByDescending(d => words.Count(w => d.d.Contains(w, StringComparison.OrdinalIgnoreCase))).ThenBy(d => d.i).Take(top))
        {
            var score = words.Length == 0 ? 0 : (double)words.Count(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)) / words.Length;
            var result = new JsonObject { ["index"] = index, ["relevance_score"] = score };
            if (returnDocuments)
            {
                result["document"] = new JsonObject { ["text"] = text };
            }

            results.Add(result);
        }

        return new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["results"] = results,
            ["meta"] = new JsonObject { ["api_version"] = new JsonObject { ["version"] = "2" }, ["billed_units"] = new JsonObject { ["search_units"] = 1 } },
        };
    }
}
