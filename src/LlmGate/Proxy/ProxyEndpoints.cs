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
        var snapshots = endpoints.ServiceProvider.GetRequiredService<GatewaySnapshotSource>();
        void Map(string pattern, ProxyEndpointKind kind) =>
            endpoints.MapPost(pattern, context => handler.HandleAsync(context, kind)).WithMetadata(OwnErrorBodies.Instance);

        // Azure OpenAI's paths, so Azure clients work unchanged: the deployment segment is the requested model and
        // wins over the body's (api-version in the query is accepted and ignored).
        void MapAzure(string operation, ProxyEndpointKind kind) =>
            endpoints.MapPost("/openai/deployments/{model}/" + operation, context => handler.HandleAsync(context, kind, RouteModel(context.RouteValue("model"))))
                .WithMetadata(OwnErrorBodies.Instance);

        // Azure OpenAI's v1 API serves OpenAI's paths under /openai/v1, so a client given that base URL works unchanged.
        foreach (var prefix in new[] { "", "/v1", "/openai/v1" })
        {
            Map(prefix + "/chat/completions", ProxyEndpointKind.ChatCompletions);
            Map(prefix + "/completions", ProxyEndpointKind.Completions);
            Map(prefix + "/embeddings", ProxyEndpointKind.Embeddings);
            Map(prefix + "/responses", ProxyEndpointKind.Responses);
            endpoints.MapResponsesById(prefix);
            Map(prefix + "/images/generations", ProxyEndpointKind.ImageGenerations);
            Map(prefix + "/audio/speech", ProxyEndpointKind.AudioSpeech);
            Map(prefix + "/audio/transcriptions", ProxyEndpointKind.AudioTranscriptions);
            Map(prefix + "/audio/translations", ProxyEndpointKind.AudioTranslations);
            Map(prefix + "/moderations", ProxyEndpointKind.Moderations);
            Map(prefix + "/rerank", ProxyEndpointKind.Rerank);
            endpoints.MapGet(prefix + "/models", PlainHandlers.Writing(context =>
                Results.Json(ModelList(snapshots.Current.Routes, context, context.RequestServices.GetService<ICallAdmission>()))));
            endpoints.MapGet(prefix + "/models/{**model}", context =>
                RetrieveModelAsync(snapshots.Current.Routes, context, context.RequestServices.GetService<ICallAdmission>()));
        }

        // Anthropic's Messages API, for Claude Code and Anthropic's SDKs (ANTHROPIC_BASE_URL pointing here, or at /anthropic).
        Map("/v1/messages", ProxyEndpointKind.Messages);
        Map("/anthropic/v1/messages", ProxyEndpointKind.Messages);

        // Cohere's own path, so Cohere's SDKs pointed at the gateway work.
        Map("/v2/rerank", ProxyEndpointKind.Rerank);

        // The AzureOpenAI clients' Responses API: /openai/responses?api-version=… (no deployment segment: the model is in the body).
        Map("/openai/responses", ProxyEndpointKind.Responses);
        endpoints.MapResponsesById("/openai");

        MapAzure("chat/completions", ProxyEndpointKind.ChatCompletions);
        MapAzure("completions", ProxyEndpointKind.Completions);
        MapAzure("embeddings", ProxyEndpointKind.Embeddings);
        MapAzure("images/generations", ProxyEndpointKind.ImageGenerations);
        MapAzure("audio/speech", ProxyEndpointKind.AudioSpeech);
        MapAzure("audio/transcriptions", ProxyEndpointKind.AudioTranscriptions);
        MapAzure("audio/translations", ProxyEndpointKind.AudioTranslations);
        return endpoints;
    }

    // Routing decodes everything but %2F, so a model name with a provider prefix (openai%2Fgpt-4o) arrives encoded.
    private static string RouteModel(string segment) => segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    // OpenAI's models.retrieve, as LiteLLM serves it: any name a call could be routed by (a wildcard group's models
    // included) that the caller may call; else OpenAI's 404 for a model that does not exist.
    private static Task RetrieveModelAsync(RouteTable routes, HttpContext context, ICallAdmission? admission)
    {
        var model = RouteModel(context.RouteValue("model"));
        return routes.TryResolve(model, out var match) && (admission is null || admission.MayCall(context, match.Group.Name))
            ? Results.Json(Model(model)).ExecuteAsync(context)
            : OpenAiError.WriteAsync(context, StatusCodes.Status404NotFound, $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model");
    }

    private static object Model(string id) => new { id, @object = "model", created = 1677610602, owned_by = "openai" };

    // OpenAI's list shape; wildcard groups are listed as configured, as LiteLLM does, and a virtual key sees the models
    // it may call.
    private static object ModelList(RouteTable routes, HttpContext context, ICallAdmission? admission) => new
    {
        data = routes.Groups
            .Where(g => admission is null || admission.MayCall(context, g.Name))
            .Select(g => Model(g.Name))
            .ToArray(),
        @object = "list",
    };
}
