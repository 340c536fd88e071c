using System.Buffers;
using System.Text.Json;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Alerting;

/// <summary>
/// The fire drill over HTTP: <c>POST /alerting/test[?channel=NAME]</c> (LlmGate's, every channel's answers as JSON) and
/// LiteLLM's <c>GET /health/services?service=NAME</c> (one channel, LiteLLM's answer shape). Both behind the master key.
/// </summary>
internal static class FireDrillEndpoints
{
    /// <summary>Services LiteLLM's <c>/health/services</c> takes that are not alert channels here.</summary>
    private static readonly HashSet<string> UnsupportedServices = new(StringComparer.Ordinal)
    {
        "langfuse", "langfuse_otel", "otel", "datadog", "datadog_metrics", "datadog_llm_observability", "braintrust",
        "openmeter", "generic_api", "arize", "sqs", "langsmith", "custom_callback_api",
    };

    public static IEndpointRouteBuilder MapLlmGateFireDrill(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/alerting/test", async context =>
        {
            var drill = context.RequestServices.GetService<AlertFireDrill>();
            var channel = context.QueryValue("channel") is { Length: > 0 } named ? named : null;
            if (AlertFireDrill.NotDrillable(drill, channel) is { } problem)
            {
                await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, problem, "invalid_request_error", channel is null ? null : "channel");
                return;
            }

            var report = await drill!.RunAsync(channel, context.RequestAborted);
            await context.Response.WriteAsJsonAsync(report, AlertingJsonContext.Default.FireDrillReport, contentType: null, context.RequestAborted);
        });

        endpoints.MapGet("/health/services", async context =>
        {
            var service = context.QueryValue("service");
            // LiteLLM's slack_budget_alerts drills the same Slack webhook.
            var kind = service == "slack_budget_alerts" ? AlertTypeNames.SlackChannel : service;
            if (string.IsNullOrEmpty(kind))
            {
                await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest,
                    $"Service must be specified: one of {string.Join(", ", AlertTypeNames.Channels)}.", "invalid_request_error", "service");
                return;
            }

            if (UnsupportedServices.Contains(kind))
            {
                await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest,
                    $"Service \"{kind}\" is not supported by LlmGate: it tests the alert channels {string.Join(", ", AlertTypeNames.Channels)}.",
                    "invalid_request_error", "service");
                return;
            }

            var drill = context.RequestServices.GetService<AlertFireDrill>();
            if (AlertFireDrill.NotDrillable(drill, kind) is { } problem)
            {
                await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, problem, "invalid_request_error", "service");
                return;
            }

            var report = await drill!.RunAsync(kind, context.RequestAborted);
            if (!report.Success)
            {
                var failures = report.Channels.SelectMany(c => new[] { (c.Channel, c.Trigger), (c.Channel, c.Resolve) })
                    .Where(s => !s.Item2.Success)
                    .Select(s => $"{s.Channel} {s.Item2.Action}: {s.Item2.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"} {s.Item2.Description}");
                await OpenAiError.WriteAsync(context, StatusCodes.Status502BadGateway,
                    $"Mock alert to {kind} failed: {string.Join("; ", failures)}", "api_error", "service");
                return;
            }

            await WriteSuccessAsync(context, $"Mock {kind} alert sent to {kind}: LlmGate fire drill trigger and resolve delivered (dedup_key {report.DedupKey}).");
        });

        return endpoints;
    }

    private static Task WriteSuccessAsync(HttpContext context, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("status", "success");
            json.WriteString("message", message);
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
