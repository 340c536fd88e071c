using System.Globalization;
using LlmGate.Auth;
using LlmGate.Calls;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>
/// The first of LiteLLM's checks on a virtual key, before the body is read: found, not blocked, not expired (model,
/// budget and rate limits follow once the model is known, in <see cref="KeyAdmission"/>). Reads the in-memory
/// directory; only a key never seen before waits for the store.
/// </summary>
internal sealed class KeyAuthenticator(KeyDirectory directory, TimeProvider time, ILogger<KeyAuthenticator> logger) : IVirtualKeyAuthenticator
{
    public async ValueTask<AuthRefusal?> AuthenticateAsync(HttpContext context, string presentedKey)
    {
        var token = KeyHashes.Of(presentedKey);
        CachedKey? key;
        try
        {
            key = await directory.FindAsync(token);
        }
        catch (KeyStoreException exception)
        {
            KeysLog.KeyUnverifiable(logger, exception.Message);
            return new AuthRefusal(
                StatusCodes.Status503ServiceUnavailable,
                "Authentication Error, the key database cannot be reached, so this key cannot be checked yet. Keys already in use keep working; retry shortly.",
                "service_unavailable");
        }

        if (key is null)
        {
            // LiteLLM's message, less the abbreviated key and its hash it quotes: the key may be a real provider key
            // sent to the wrong place, and no part of it is echoed.
            return new AuthRefusal(
                StatusCodes.Status401Unauthorized,
                "Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`.",
                "token_not_found_in_db");
        }

        var record = key.Record;
        if (record.Blocked)
        {
            return new AuthRefusal(StatusCodes.Status401Unauthorized, "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.", "auth_error");
        }

        var now = time.GetUtcNow();
        if (record.Expires is { } expires && expires <= now)
        {
            return new AuthRefusal(
                StatusCodes.Status401Unauthorized,
                $"Authentication Error - Expired Key. Key Expiry time {Format(expires)} and current time {Format(now)}",
                "expired_key",
                record.KeyName);
        }

        if (key.Team?.Policy.Blocked == true)
        {
            return new AuthRefusal(
                StatusCodes.Status401Unauthorized,
                $"Authentication Error, Team={record.TeamId} is blocked. Update via `/team/unblock` if you're an admin.",
                "team_blocked");
        }

        context.Features.Set(key.Identity);
        context.Features.Set(key.Caller);
        return null;
    }

    private static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
