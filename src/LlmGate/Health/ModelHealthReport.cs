using System.Buffers;
using System.Text.Json;
using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Health;

/// <summary>
/// LiteLLM's <c>/health</c> answer: <c>healthy_endpoints</c>, <c>unhealthy_endpoints</c> and their counts. Each endpoint
/// names its <c>litellm_params.model</c>, group and id; <c>api_base</c> and the <c>error</c> only with details.
/// </summary>
internal static class ModelHealthReport
{
    public static Task WriteAsync(HttpContext context, IReadOnlyList<(Deployment Deployment, ModelHealthResult Result)> rows, bool details)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rows);
        var buffer = new ArrayBufferWriter<byte>(256 + 128 * rows.Count);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            var healthy = WriteEndpoints(writer, "healthy_endpoints", rows, healthy: true, details);
            var unhealthy = WriteEndpoints(writer, "unhealthy_endpoints", rows, healthy: false, details);
            writer.WriteNumber("healthy_count", healthy);
            writer.WriteNumber("unhealthy_count", unhealthy);
            writer.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    private static int WriteEndpoints(Utf8JsonWriter writer, string name, IReadOnlyList<(Deployment Deployment, ModelHealthResult Result)> rows, bool healthy, bool details)
    {
        var count = 0;
        writer.WriteStartArray(name);
        foreach (var (deployment, result) in rows)
        {
            if (result.Healthy != healthy)
            {
                continue;
            }

            count++;
            writer.WriteStartObject();
            writer.WriteString("model", deployment.Config.Model);
            writer.WriteString("model_name", result.ModelGroup);
            writer.WriteString("model_id", result.DeploymentId);
            if (details)
            {
                writer.WriteString("api_base", deployment.Endpoint.PublicApiBase);
                if (!healthy)
                {
                    writer.WriteString("error", result.Error);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return count;
    }
}
