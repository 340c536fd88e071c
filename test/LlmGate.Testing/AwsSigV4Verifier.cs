using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Checks a received request's SigV4 <c>Authorization</c> as AWS does: a complete header, a credential scope of this
/// service and region with the date of <c>X-Amz-Date</c>, <c>host</c> and <c>x-amz-date</c> (and the session token,
/// when one is sent) among the signed headers, a date within 15 minutes of the clock, a known access key whose token
/// matches and has not expired, a body that matches any <c>x-amz-content-sha256</c>, and the signature recomputed from
/// the request as received (raw path, query, the signed headers' received values, the body's hash).
/// </summary>
internal sealed class AwsSigV4Verifier
{
    private const string InvalidToken = "The security token included in the request is invalid.";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    private readonly string _service;
    private readonly string _region;
    private readonly TimeProvider _time;
    private readonly Func<string, FakeAwsCredentials?> _lookup;

    /// <param name="lookup">The credentials of an access key id, or null for one that is not known.</param>
    public AwsSigV4Verifier(string service, string region, TimeProvider time, Func<string, FakeAwsCredentials?> lookup)
    {
        _service = service;
        _region = region;
        _time = time;
        _lookup = lookup;
    }

    /// <summary>The credentials that signed the request, or why AWS would refuse it.</summary>
    public (FakeAwsCredentials? Credentials, AwsAuthFailure? Failure) Verify(string method, string rawTarget, IHeaderDictionary received, byte[] body)
    {
        var authorization = received.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return Refuse(AwsAuthFailureKind.Missing, "Missing Authentication Token");
        }

        var headers = received.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value.ToArray()), StringComparer.Ordinal);
        var amzDate = headers.GetValueOrDefault("x-amz-date");
        var (credential, signedHeaders, signature) = Parse(authorization);
        if (credential is null || signedHeaders is null || signature is null || amzDate is null)
        {
            return Refuse(AwsAuthFailureKind.Incomplete, string.Concat(
                credential is null ? "Authorization header requires 'Credential' parameter. " : "",
                signature is null ? "Authorization header requires 'Signature' parameter. " : "",
                signedHeaders is null ? "Authorization header requires 'SignedHeaders' parameter. " : "",
                amzDate is null ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " : "",
                $"Authorization={authorization.Split(' ')[0]}"));
        }

        var scope = credential.Split('/');
        if (scope.Length != 5)
        {
            return Refuse(AwsAuthFailureKind.Incomplete, $"Credential should be '<access key id>/<date>/<region>/<service>/aws4_request', not '{credential}'.");
        }

        string[] signed = signedHeaders.Split(';');
        if (CheckScope(scope, signed, amzDate, headers) is { } wrong)
        {
            return Refuse(AwsAuthFailureKind.Signature, wrong);
        }

        if (_lookup(scope[0]) is not { } credentials
            || credentials.SessionToken != headers.GetValueOrDefault("x-amz-security-token"))
        {
            return Refuse(AwsAuthFailureKind.UnknownCredentials, InvalidToken);
        }

        if (credentials.Expiration is { } expiration && _time.GetUtcNow() >= expiration)
        {
            return Refuse(AwsAuthFailureKind.ExpiredToken, "The security token included in the request is expired");
        }

        var payloadHash = AwsSigV4.HexSha256(body);
        if (headers.GetValueOrDefault("x-amz-content-sha256") is { } claimed && claimed != payloadHash)
        {
            return Refuse(AwsAuthFailureKind.Signature, "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var canonical = AwsSigV4.CanonicalRequest(method, query < 0 ? rawTarget : rawTarget[..query], query < 0 ? "" : rawTarget[(query + 1)..], headers, signed, payloadHash);
        var stringToSign = AwsSigV4.StringToSign(amzDate, string.Join('/', scope[1..]), canonical);
        var expected = AwsSigV4.Signature(AwsSigV4.SigningKey(credentials.SecretAccessKey, scope[1], _region, _service), stringToSign);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return Refuse(AwsAuthFailureKind.Signature,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. "
                + $"Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'{canonical}'\n\n"
                + $"The String-to-Sign should have been\n'{stringToSign}'\n");
        }

        return (credentials, null);
    }

    private static (FakeAwsCredentials?, AwsAuthFailure?) Refuse(AwsAuthFailureKind kind, string message) => (null, new AwsAuthFailure(kind, message));

    // "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…": the three parts, null where one is missing.
    private static (string? Credential, string? SignedHeaders, string? Signature) Parse(string authorization)
    {
        if (!authorization.StartsWith(AwsSigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            return (null, null, null);
        }

        var parts = authorization[(AwsSigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && p[1].Length > 0)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return (parts.GetValueOrDefault("Credential"), parts.GetValueOrDefault("SignedHeaders"), parts.GetValueOrDefault("Signature"));
    }

    // The scope names this service and region and the date of X-Amz-Date, the right headers are signed, and the date is recent.
    private string? CheckScope(string[] scope, string[] signed, string amzDate, Dictionary<string, string> headers)
    {
        if (scope[4] != "aws4_request")
        {
            return $"Credential should be scoped with a valid terminator: 'aws4_request', not '{scope[4]}'. ";
        }

        if (scope[3] != _service)
        {
            return $"Credential should be scoped to correct service: '{_service}'. ";
        }

        if (scope[2] != _region)
        {
            return $"Credential should be scoped to a valid region, not '{scope[2]}'. ";
        }

        if (!signed.Contains("host"))
        {
            return "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
        }

        if (!signed.Contains("x-amz-date"))
        {
            return "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.";
        }

        if (headers.ContainsKey("x-amz-security-token") && !signed.Contains("x-amz-security-token"))
        {
            return "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.";
        }

        if (!DateTimeOffset.TryParseExact(amzDate, AwsSigV4.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return $"Date must be in ISO-8601 'basic format'. Got '{amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601";
        }

        if (scope[1] != amzDate[..8])
        {
            return $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}', from '{amzDate}'.";
        }

        var now = _time.GetUtcNow();
        if (signedAt < now - AllowedSkew)
        {
            return $"Signature expired: {amzDate} is now earlier than {Format(now - AllowedSkew)} ({Format(now)} - 15 min.)";
        }

        return signedAt > now + AllowedSkew
            ? $"Signature not yet current: {amzDate} is still later than {Format(now + AllowedSkew)} ({Format(now)} + 15 min.)"
            : null;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(AwsSigV4.DateTimeFormat, CultureInfo.InvariantCulture);
}
