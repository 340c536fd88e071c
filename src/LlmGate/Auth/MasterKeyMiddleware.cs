using LlmGate.Calls;
using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Auth;

/// <summary>
/// Requires the master key or a virtual key on every route but the liveness and readiness probes, as LiteLLM does: <c>Authorization:
/// Bearer</c>, <c>x-api-key</c> or <c>api-key</c>; the master key is compared in constant time, any other key goes to
/// the <see cref="IVirtualKeyAuthenticator"/> when one is registered. Without a master key every request passes.
/// </summary>
internal sealed class MasterKeyMiddleware(RequestDelegate next, GatewaySnapshotSource snapshots, IVirtualKeyAuthenticator? virtualKeys = null)
{
    public Task InvokeAsync(HttpContext context)
    {
        var current = snapshots.Current;
        var expected = current.Config.MasterKey;
        if (expected is null || IsPublic(context.Request.Path, current))
        {
            return next(context);
        }

        var presented = PresentedKey(context.Request.Headers, out var present, out var malformed);
        if (present && SecretComparison.FixedTimeEquals(presented, expected))
        {
            context.Features.Set(CallerIdentity.MasterKey);
            return next(context);
        }

        if (present && virtualKeys is not null)
        {
            return AuthenticateVirtualKeyAsync(context, presented.ToString());
        }

        // Never echo the presented key: it may be a real provider key sent to the wrong place.
        var message = malformed
            ? "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix."
            : !present
                ? "Authentication Error, No api key passed in."
                : "Authentication Error, Invalid proxy server token passed.";
        return OpenAiError.WriteAsync(context, StatusCodes.Status401Unauthorized, message, "auth_error", "None");
    }

    private async Task AuthenticateVirtualKeyAsync(HttpContext context, string presented)
    {
        if (await virtualKeys!.AuthenticateAsync(context, presented) is { } refusal)
        {
            await OpenAiError.WriteAsync(context, refusal.Status, refusal.Message, refusal.Type, refusal.Param ?? "None");
            return;
        }

        await next(context);
    }

    // LiteLLM's public probes; /health itself (it calls every deployment) and /health/readiness/details need a key.
    // /metrics is public only when require_auth_for_metrics_endpoint is false. /ui is the console's: it signs people in
    // itself (master key or UI_USERNAME/UI_PASSWORD for a session cookie), so no key travels with each page.
    private static bool IsPublic(PathString path, GatewaySnapshot snapshot) =>
        path.StartsWithSegments("/ui", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/health/liveliness", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/health/liveness", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/health/readiness", StringComparison.OrdinalIgnoreCase)
        || (!snapshot.Config.Observability.RequireAuthForMetrics && path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase));

    // A view into the header's own string: the master key is checked without copying or hashing what was presented.
    private static ReadOnlySpan<char> PresentedKey(IHeaderDictionary headers, out bool present, out bool malformed)
    {
        malformed = false;
        present = true;
        var authorization = headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return authorization.AsSpan("Bearer ".Length).Trim();
            }

            malformed = true;
            present = false;
            return default;
        }

        var apiKey = headers["x-api-key"].ToString();
        if (apiKey.Length == 0)
        {
            apiKey = headers["api-key"].ToString();
        }

        present = apiKey.Length > 0;
        return apiKey.AsSpan().Trim();
    }
}
