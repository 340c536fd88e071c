using System.Net;

namespace LlmGate.Providers;

/// <summary>The upstream request of a translating provider: its translated body POSTed as JSON.</summary>
internal static class ProviderRequests
{
    // HTTP/1.1 or lower, as the OpenAI-compatible requests go: a stream's chunks are flushed as they come either way.
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
