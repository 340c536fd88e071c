using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmGate.Proxy;

/// <summary>The OpenAI-compatible routes, with and without the <c>/v1</c> prefix, as LiteLLM serves them.</summary>
internal static class ProxyEndpoints
{
    public static IEndpointRouteBuilder MapLlmGateProxy(this IEndpointRouteBuilder endpoints)
    {
        foreach (var prefix in new[] { "", "/v1" })
        {
            endpoints.MapPost(prefix + "/chat/completions", (HttpContext context, ProxyHandler handler) => handler.HandleAsync(context, ProxyEndpointKind.ChatCompletions));
            endpoints.MapPost(prefix + "/completions", (HttpContext context, ProxyHandler handler) => handler.HandleAsync(context, ProxyEndpointKind.Completions));
            endpoints.MapPost(prefix + "/embeddings", (HttpContext context, ProxyHandler handler) => handler.HandleAsync(context, ProxyEndpointKind.Embeddings));
            endpoints.MapGet(prefix + "/models", (GatewaySnapshot snapshot) => Results.Json(ModelList(snapshot.Routes)));
        }

        return endpoints;
    }

    // OpenAI's list shape; wildcard groups are listed as configured, as LiteLLM does.
    private static object ModelList(RouteTable routes) => new
    {
        data = routes.Groups.Select(g => new { id = g.Name, @object = "model", created = 1677610602, owned_by = "openai" }).ToArray(),
        @object = "list",
    };
}
