using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// The JWT a service account posts in Google's JWT-bearer grant (RFC 7523), checked as Google's token endpoint checks
/// it: three base64url parts, an RS256 JWT header whose <c>kid</c> (if any) is the account's key id, a valid signature
/// by the account's key, <c>iss</c> the account, <c>aud</c> the token URI or Google's own token URL (which Google's
/// auth libraries always send, whatever the file's <c>token_uri</c>), a scope including cloud-platform, and
/// <c>iat</c>/<c>exp</c> making a token of at most an hour that is valid now.
/// </summary>
internal static class ServiceAccountAssertion
{
    private const string GoogleTokenUrl = "https://oauth2.googleapis.com/token";

    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private const string TimeframeMessage =
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";

    /// <summary>Null when Google would grant a token; else the OAuth <c>error</c> and <c>error_description</c>.</summary>
    public static (string Error, string Description)? Check(string assertion, Func<string, TestServiceAccount?> accountOf, string audience, DateTimeOffset now)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3 || Decode(parts[0]) is not { } headerBytes || Decode(parts[1]) is not { } claimsBytes || Decode(parts[2]) is not { } signature
            || Parse(headerBytes) is not { } header || Parse(claimsBytes) is not { } claims)
        {
            return ("invalid_grant", "Invalid JWT: the assertion is not three base64url-encoded parts of which the first two are JSON objects.");
        }

        if (GoogleJson.StringOf(header["alg"]) != "RS256" || GoogleJson.StringOf(header["typ"]) != "JWT")
        {
            return ("invalid_grant", $"Invalid JWT header: alg must be RS256 and typ JWT (got {header.ToJsonString()}).");
        }

        if (GoogleJson.StringOf(claims["iss"]) is not { } issuer || accountOf(issuer) is not { } account)
        {
            return ("invalid_grant", "Invalid grant: account not found");
        }

        if (header["kid"] is { } kid && GoogleJson.StringOf(kid) != account.PrivateKeyId)
        {
            return ("invalid_grant", "Invalid JWT Signature.");
        }

        if (!account.Verifies(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
        {
            return ("invalid_grant", "Invalid JWT Signature.");
        }

        if (GoogleJson.StringOf(claims["aud"]) is not { } aud || (aud != audience && aud != GoogleTokenUrl))
        {
            return ("invalid_grant", $"Invalid JWT: Failed audience check. The right audience is {audience}");
        }

        if (GoogleJson.StringOf(claims["scope"]) is not { Length: > 0 } scope)
        {
            return ("invalid_scope", "Empty or missing scope not allowed.");
        }

        if (!scope.Split(' ').Contains(CloudPlatformScope))
        {
            return ("invalid_scope", $"Invalid OAuth scope or ID token audience provided. (the scope \"{scope}\" does not include {CloudPlatformScope})");
        }

        if (Seconds(claims["iat"]) is not { } iat || Seconds(claims["exp"]) is not { } exp)
        {
            return ("invalid_grant", TimeframeMessage);
        }

        var nowSeconds = now.ToUnixTimeSeconds();
        return iat > nowSeconds + 60 || exp <= nowSeconds || exp <= iat || exp - iat > 3600 ? ("invalid_grant", TimeframeMessage) : null;
    }

    private static byte[]? Decode(string part)
    {
        var bytes = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        return part.Length > 0 && Base64Url.TryDecodeFromChars(part, bytes, out var written) ? bytes[..written] : null;
    }

    private static JsonObject? Parse(byte[] json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Seconds(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var seconds) ? seconds : null;
}
