using System.Net;

namespace LlmGate.Providers;

/// <summary>The request a translating adapter sends: a JSON body POSTed over HTTP/1.1 (or lower), headers added by the caller.</summary>
internal static class ProviderRequests
{
    public static HttpRequestMessage PostJson(Uri uri, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return request;
    }
}
