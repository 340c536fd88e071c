using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Testing;

/// <summary>
/// AWS Signature Version 4, written from AWS's description (not the gateway's code, which it checks): the canonical
/// request, the string to sign, the signing key and the signature, and a signer for test requests. The fakes verify
/// with the same steps, so a test pins these to AWS's published vectors.
/// </summary>
public static class AwsSigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The <c>X-Amz-Date</c> format: <c>yyyyMMdd'T'HHmmss'Z'</c> in UTC.</summary>
    public const string DateTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// The canonical URI of a raw (as sent) path: each segment URI-encoded again, as every service but S3 wants, so
    /// <c>/model/a%3A0/converse</c> becomes <c>/model/a%253A0/converse</c>.
    /// </summary>
    public static string CanonicalUri(string rawPath) =>
        rawPath.Length == 0 ? "/" : string.Join('/', rawPath.Split('/').Select(UriEncode));

    /// <summary>The canonical query: each name and value decoded, encoded again, sorted by name then value, joined by <c>&amp;</c>.</summary>
    public static string CanonicalQuery(string rawQuery) => string.Join('&', rawQuery.TrimStart('?')
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .Select(parts => (Name: UriEncode(Uri.UnescapeDataString(parts[0])), Value: UriEncode(Uri.UnescapeDataString(parts.Length > 1 ? parts[1] : ""))))
        .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
        .Select(p => $"{p.Name}={p.Value}"));

    /// <summary>
    /// <c>METHOD\nCanonicalURI\nCanonicalQuery\nCanonicalHeaders\n\nSignedHeaders\nPayloadHash</c>, where each signed header is
    /// <c>name:value</c> with the value trimmed and inner runs of spaces collapsed.
    /// </summary>
    /// <param name="headers">The request's headers by name (any case); a header sent more than once has its values joined by ','.</param>
    /// <param name="signedHeaders">Lowercase names, sorted, as they appear in <c>SignedHeaders</c>.</param>
    public static string CanonicalRequest(string method, string rawPath, string rawQuery, IReadOnlyDictionary<string, string> headers,
        IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            canonicalHeaders.Append(name).Append(':').Append(CanonicalValue(headers.GetValueOrDefault(name) ?? "")).Append('\n');
        }

        return $"{method}\n{CanonicalUri(rawPath)}\n{CanonicalQuery(rawQuery)}\n{canonicalHeaders}\n{string.Join(';', signedHeaders)}\n{payloadHash}";
    }

    /// <summary><c>{yyyyMMdd}/{region}/{service}/aws4_request</c>.</summary>
    public static string Scope(string date, string region, string service) => $"{date}/{region}/{service}/aws4_request";

    /// <summary><c>AWS4-HMAC-SHA256\n{amzDate}\n{scope}\nhex(SHA256(canonicalRequest))</c>.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>HMAC chain from <c>"AWS4" + secret</c> through the date, region, service and <c>aws4_request</c>.</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return key;
    }

    /// <summary>Lowercase hex of HMAC-SHA256(signing key, string to sign).</summary>
    public static string Signature(byte[] signingKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Lowercase hex of SHA-256: the payload hash of a body.</summary>
    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>
    /// Signs <paramref name="request"/> as botocore does: sets <c>X-Amz-Date</c> (and <c>X-Amz-Security-Token</c> for
    /// temporary credentials) and an <c>Authorization</c> header over <c>content-type</c> (when there is content),
    /// <c>host</c> (the URI's authority, port included, which is what HttpClient sends), <c>x-amz-date</c> and the token.
    /// </summary>
    /// <param name="body">The exact bytes of the request's content (empty for none).</param>
    public static void Sign(HttpRequestMessage request, byte[] body, FakeAwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = request.RequestUri ?? throw new ArgumentException("The request needs an absolute URI.", nameof(request));
        var amzDate = now.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["host"] = uri.Authority, ["x-amz-date"] = amzDate };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers["content-type"] = contentType.ToString();
        }

        if (credentials.SessionToken is { } token)
        {
            request.Headers.Remove("X-Amz-Security-Token");
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
            headers["x-amz-security-token"] = token;
        }

        string[] signed = [.. headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal)];
        var canonical = CanonicalRequest(request.Method.Method, uri.AbsolutePath, uri.Query, headers, signed, HexSha256(body));
        var date = amzDate[..8];
        var scope = Scope(date, region, service);
        var signature = Signature(SigningKey(credentials.SecretAccessKey, date, region, service), StringToSign(amzDate, scope, canonical));
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
    }

    /// <summary>RFC 3986 encoding of the UTF-8 bytes: letters, digits and <c>-_.~</c> kept, all else <c>%XX</c> in upper case.</summary>
    public static string UriEncode(string value)
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static string CanonicalValue(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
