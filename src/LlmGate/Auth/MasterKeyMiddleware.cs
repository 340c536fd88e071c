using System.Security.Cryptography;
using System.Text;
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
    // Hashed once per snapshot, not per request; one reference, so a reload that changes the key swaps the pair atomically.
    private Tuple<GatewaySnapshot, byte[]?> _masterKey = Tuple.Create(snapshots.Current, HashOf(snapshots.Current));

    public Task InvokeAsync(HttpContext context)
    {
        var current = snapshots.Current;
        var masterKey = Volatile.Read(ref _masterKey);
        if (!ReferenceEquals(masterKey.Item1, current))
        {
            masterKey = Tuple.Create(current, HashOf(current));
            Volatile.Write(ref _masterKey, masterKey);
        }

        var masterKeyHash = masterKey.Item2;
        if (masterKeyHash is null || IsPublic(context.Request.Path, current))
        {
            return next(context);
        }

        var presented = PresentedKey(context.Request.Headers, out var malformed);
        if (presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), masterKeyHash))
        {
            context.Features.Set(CallerIdentity.MasterKey);
            return next(context);
        }

        if (presented is not null && virtualKeys is not null)
        {
            return AuthenticateVirtualKeyAsync(context, presented);
        }

        // Never echo the presented key: it may be a real provider key sent to the wrong place.
        var message = malformed
            ? "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix."
            : presented is null
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

    private static string? PresentedKey(IHeaderDictionary headers, out bool malformed)
    {
        malformed = false;
        var authorization = headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return authorization["Bearer ".Length..].Trim();
            }

            malformed = true;
            return null;
        }

        var apiKey = headers["x-api-key"].ToString();
        if (apiKey.Length == 0)
        {
            apiKey = headers["api-key"].ToString();
        }

        return apiKey.Length > 0 ? apiKey.Trim() : null;
    }

    private static byte[]? HashOf(GatewaySnapshot snapshot) => snapshot.Config.MasterKey is { } key ? Hash(key) : null;

    // Hashing first makes both sides the same length, so the comparison leaks neither content nor length.
    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
