using System.Security.Cryptography;
using System.Text;
using LlmGate.Proxy;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Auth;

/// <summary>
/// Requires the master key on every route but health checks, as LiteLLM does: <c>Authorization: Bearer</c>,
/// <c>x-api-key</c> or <c>api-key</c>, compared in constant time. Without a master key every request passes.
/// </summary>
internal sealed class MasterKeyMiddleware(RequestDelegate next, GatewaySnapshot snapshot)
{
    private readonly byte[]? _masterKeyHash = snapshot.Config.MasterKey is { } key ? Hash(key) : null;

    public Task InvokeAsync(HttpContext context)
    {
        if (_masterKeyHash is null || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        var presented = PresentedKey(context.Request.Headers, out var malformed);
        if (presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _masterKeyHash))
        {
            return next(context);
        }

        // Never echo the presented key: it may be a real provider key sent to the wrong place.
        var message = malformed
            ? "Authentication Error, Malformed API Key passed in. Ensure Key has `Bearer ` prefix."
            : presented is null
                ? "Authentication Error, No api key passed in."
                : "Authentication Error, Invalid proxy server token passed.";
        return OpenAiError.WriteAsync(context, StatusCodes.Status401Unauthorized, message, "auth_error", "None");
    }

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

    // Hashing first makes both sides the same length, so the comparison leaks neither content nor length.
    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
