using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>What the fakes do alike with a request: read a JSON object body without throwing, and serve until the caller goes away.</summary>
internal static class FakeRequests
{
    /// <summary>The body as a JSON object, or null when it is not one (not JSON, or another kind of value).</summary>
    public static JsonObject? ParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Runs <paramref name="serve"/>; a caller that goes away mid-answer ends it quietly.</summary>
    public static async Task ServeAsync(HttpContext context, Func<Task> serve)
    {
        try
        {
            await serve();
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
    }
}
