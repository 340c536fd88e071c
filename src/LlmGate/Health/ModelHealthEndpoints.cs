using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Proxy;
using LlmGate.Routing;
using LlmGate.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmGate.Health;

/// <summary>
/// <c>GET /health</c> (any key; LiteLLM's model health) and <c>GET /health/readiness/details</c> (any key). The auth
/// middleware requires the key; here only the master key (or a gateway without one) sees api_base and errors.
/// </summary>
internal static class ModelHealthEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateModelHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", HealthAsync);
        endpoints.MapGet("/health/readiness/details", PlainHandlers.Writing(async context =>
        {
            var services = context.RequestServices;
            var snapshots = services.GetRequiredService<GatewaySnapshotSource>();
            var store = services.GetRequiredService<ModelHealthStore>();
            var (body, status) = await HealthEndpoints.ReadinessAsync(services.GetRequiredService<HealthCheckService>(), context.RequestAborted);
            var observability = snapshots.Current.Config.Observability;
            body["success_callbacks"] = SuccessCallbacks(observability);
            body["background_health_checks"] = observability.BackgroundHealthChecks;
            body["last_updated"] = store.LastUpdated?.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(body, statusCode: status);
        }));
        return endpoints;
    }

    private static async Task HealthAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var snapshot = services.GetRequiredService<GatewaySnapshotSource>().Current;
        var model = Query(context, "model");
        var modelId = Query(context, "model_id");
        var admission = services.GetService<ICallAdmission>();
        var matched = HealthSelection.Matching(snapshot.Routes, model, modelId, group => admission is null || admission.MayCall(context, group));
        if (matched.Count == 0 && (model is not null || modelId is not null))
        {
            var message = modelId is not null ? $"Model with ID {Cut(modelId)} not found" : $"Model {Cut(model!)} not found";
            await OpenAiError.WriteAsync(context, StatusCodes.Status404NotFound, message, "not_found_error", modelId is not null ? "model_id" : "model");
            return;
        }

        List<(Deployment, ModelHealthResult)> rows;
        if (snapshot.Config.Observability.BackgroundHealthChecks)
        {
            // As LiteLLM: the background rounds' latest results, no call made for this request.
            var store = services.GetRequiredService<ModelHealthStore>();
            rows = [.. matched.Select(m => (m.Deployment, Result: store.Get(m.Deployment.Id))).Where(r => r.Result is not null).Select(r => (r.Deployment, r.Result!))];
        }
        else
        {
            var targets = matched.Select(m => HealthTarget.For(m.Group, m.Deployment)).OfType<HealthTarget>().ToArray();
            var outcomes = await services.GetRequiredService<ModelHealthChecker>().CheckAsync(targets, context.RequestAborted);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            rows = [.. outcomes.Select(o => (o.Target.Deployment, o.Result))];
        }

        await ModelHealthReport.WriteAsync(context, rows, ShowsDetails(context, snapshot.Config));
    }

    // LiteLLM shows api_base (and here the error) to admins only, and to nobody with health_check_details: false.
    private static bool ShowsDetails(HttpContext context, GatewayConfig config)
    {
        var caller = context.Features.Get<CallerIdentity>() ?? (config.MasterKey is null ? CallerIdentity.Anonymous : null);
        return config.Observability.HealthCheckDetails && caller is { Kind: CallerKind.MasterKey or CallerKind.Anonymous };
    }

    private static string[] SuccessCallbacks(ObservabilityOptions options) =>
        [.. new[] { (options.Prometheus, "prometheus"), (options.Otel, "otel"), (options.Langfuse, "langfuse") }.Where(c => c.Item1).Select(c => c.Item2)];

    private static string? Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    private static string Cut(string value) => SecretScrubber.Truncate(value, 201);
}
