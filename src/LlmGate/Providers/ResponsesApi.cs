using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>Which deployments speak OpenAI's Responses API themselves, and the request a pass-through sends them.</summary>
internal static class ResponsesApi
{
    /// <summary>Azure took the Responses API from this version on; an older configured <c>api_version</c> is raised to it for these calls.</summary>
    public const string AzureMinimumVersion = "2025-03-01-preview";

    /// <summary>OpenAI itself and Azure OpenAI; other OpenAI-compatible servers mostly have chat completions only, so they are bridged.</summary>
    public static bool IsNative(ProviderEndpoint endpoint) =>
        endpoint.Adapter is AzureOpenAiAdapter || (endpoint.Adapter is OpenAiCompatibleAdapter && endpoint.ProviderName == "openai");

    /// <summary>The client's body with the deployment's model name and, when <c>previous_response_id</c> is one of the gateway's ids, the upstream's own.</summary>
    public static byte[] UpstreamBody(ProviderCall call)
    {
        var body = JsonNode.Parse(call.Body.Span)?.AsObject() ?? throw new ProviderRequestException("The request body must be a JSON object.");
        body["model"] = call.UpstreamModel;
        if (body["previous_response_id"] is JsonValue previous && previous.TryGetValue<string>(out var id) && ResponseIds.TryDecode(id, out _, out var upstreamId))
        {
            body["previous_response_id"] = upstreamId;
        }

        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>The deployment a <c>previous_response_id</c> names, when it is one of the gateway's ids; null otherwise.</summary>
    public static string? PinnedDeployment(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("previous_response_id"))
            {
                return reader.Read() && reader.TokenType == JsonTokenType.String && ResponseIds.TryDecode(reader.GetString()!, out var deploymentId, out _)
                    ? deploymentId
                    : null;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
            {
                reader.Skip();
            }
        }

        return null;
    }
}
