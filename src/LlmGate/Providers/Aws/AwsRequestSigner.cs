using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace LlmGate.Providers.Aws;

/// <summary>
/// Signs a Bedrock request with AWS Signature Version 4. The canonical request is built here (the SDK's builder works
/// on its own request type); the string to sign, the signing key and the signature are the SDK's
/// (<see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/>).
/// Signed: <c>content-type</c>, <c>host</c>, <c>x-amz-date</c> and, with temporary credentials, <c>x-amz-security-token</c>,
/// as botocore signs Bedrock calls.
/// </summary>
internal static class AwsRequestSigner
{
    /// <summary>Bedrock Runtime signs as service <c>bedrock</c>, not its endpoint prefix.</summary>
    public const string BedrockService = "bedrock";

    public static void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var signedAt = now.UtcDateTime;
        var amzDate = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = "application/json",
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-amz-date"] = amzDate,
        };
        if (credentials.UseToken)
        {
            headers["x-amz-security-token"] = credentials.Token;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(uri.AbsolutePath)).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(body)));
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAt, service, signedHeaders, canonical.ToString());

        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (credentials.UseToken)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    // For every service but S3, each segment of the path as sent is URI-encoded once more: `%3A` signs as `%253A`.
    private static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }

        return string.Join('&', query[1..].Split('&')
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(pair[0])), Value: pair.Length > 1 ? Uri.EscapeDataString(Uri.UnescapeDataString(pair[1])) : ""))
            .OrderBy(pair => pair.Name, StringComparer.Ordinal).ThenBy(pair => pair.Value, StringComparer.Ordinal)
            .Select(pair => pair.Name + "=" + pair.Value));
    }
}
