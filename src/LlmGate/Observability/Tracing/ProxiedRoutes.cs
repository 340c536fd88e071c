using Microsoft.AspNetCore.Http;

namespace LlmGate.Observability.Tracing;

/// <summary>
/// The requests that get a server span: the proxied POST routes (<c>/chat/completions</c>, <c>/completions</c>,
/// <c>/embeddings</c>, with or without <c>/v1</c>, and Azure's deployment paths). Probes, scrapes, key management and
/// the UI stay out of the traces.
/// </summary>
internal static class ProxiedRoutes
{
    public static bool Matches(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return false;
        }

        var path = request.Path.Value.AsSpan().TrimEnd('/');
        // "/completions" covers "/chat/completions" too.
        return path.EndsWith("/completions", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/embeddings", StringComparison.OrdinalIgnoreCase);
    }
}
