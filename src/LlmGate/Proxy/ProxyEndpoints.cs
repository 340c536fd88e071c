using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Proxy;

/// <summary>The OpenAI-compatible routes, with and without the <c>/v1</c> prefix, as LiteLLM serves them.</summary>
internal static class ProxyEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateProxy(this IEndpointRouteBuilder endpoints)
    {
        // The handler is a singleton taken once here, not a parameter of each route: a service parameter is resolved from
        // context.RequestServices, which creates (and disposes) a DI scope per request that nothing else on these routes needs.
        var handler = endpoints.ServiceProvider.GetRequiredService<ProxyHandler>();
        foreach (var prefix in new[] { "", "/v1" })
        {
            endpoints.MapPost(prefix + "/chat/completions", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.ChatCompletions)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapPost(prefix + "/completions", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Completions)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapPost(prefix + "/embeddings", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Embeddings)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapPost(prefix + "/responses", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Responses)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapResponsesById(prefix);
            endpoints.MapPost(prefix + "/images/generations", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.ImageGenerations)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapPost(prefix + "/audio/speech", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.AudioSpeech)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapPost(prefix + "/moderations", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Moderations)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapPost(prefix + "/rerank", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Rerank)).WithMetadata(OwnErrorBodies.Instance);
            endpoints.MapGet(prefix + "/models", (HttpContext context, GatewaySnapshotSource snapshots) =>
                Results.Json(ModelList(snapshots.Current.Routes, context, context.RequestServices.GetService<ICallAdmission>())));
        }

        // Anthropic's Messages API, for Claude Code and Anthropic's SDKs (ANTHROPIC_BASE_URL pointing here, or at /anthropic).
        endpoints.MapPost("/v1/messages", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Messages)).WithMetadata(OwnErrorBodies.Instance);
        endpoints.MapPost("/anthropic/v1/messages", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Messages)).WithMetadata(OwnErrorBodies.Instance);

        // Cohere's own path, so Cohere's SDKs pointed at the gateway work.
        endpoints.MapPost("/v2/rerank", (HttpContext context) => handler.HandleAsync(context, ProxyEndpointKind.Rerank)).WithMetadata(OwnErrorBodies.Instance);

        // Azure OpenAI's paths, so Azure clients work unchanged: the deployment segment is the requested model and
        // wins over the body's (api-version in the query is accepted and ignored).
        endpoints.MapPost("/openai/deployments/{model}/chat/completions", (HttpContext context, string model) => handler.HandleAsync(context, ProxyEndpointKind.ChatCompletions, RouteModel(model))).WithMetadata(OwnErrorBodies.Instance);
        endpoints.MapPost("/openai/deployments/{model}/completions", (HttpContext context, string model) => handler.HandleAsync(context, ProxyEndpointKind.Completions, RouteModel(model))).WithMetadata(OwnErrorBodies.Instance);
        endpoints.MapPost("/openai/deployments/{model}/embeddings", (HttpContext context, string model) => handler.HandleAsync(context, ProxyEndpointKind.Embeddings, RouteModel(model))).WithMetadata(OwnErrorBodies.Instance);
        endpoints.MapPost("/openai/deployments/{model}/images/generations", (HttpContext context, string model) => handler.HandleAsync(context, ProxyEndpointKind.ImageGenerations, RouteModel(model))).WithMetadata(OwnErrorBodies.Instance);
        endpoints.MapPost("/openai/deployments/{model}/audio/speech", (HttpContext context, string model) => handler.HandleAsync(context, ProxyEndpointKind.AudioSpeech, RouteModel(model))).WithMetadata(OwnErrorBodies.Instance);
        return endpoints;
    }

    // Routing decodes everything but %2F, so a model name with a provider prefix (openai%2Fgpt-4o) arrives encoded.
    private static string RouteModel(string segment) => segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    // OpenAI's list shape; wildcard groups are listed as configured, as LiteLLM does, and a virtual key sees the models
    // it may call.
    private static object ModelList(RouteTable routes, HttpContext context, ICallAdmission? admission) => new
    {
        data = routes.Groups
            .Where(g => admission is null || admission.MayCall(context, g.Name))
            .Select(g => new { id = g.Name, @object = "model", created = 1677610602, owned_by = "openai" })
            .ToArray(),
        @object = "list",
    };
}
