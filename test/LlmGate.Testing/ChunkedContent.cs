namespace LlmGate.Testing;

/// <summary>A body sent as a client that does not know its length sends it: chunked, with no <c>Content-Length</c>.</summary>
public static class ChunkedContent
{
    public static async Task<HttpContent> OfAsync(HttpContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new StreamContent(await content.ReadAsStreamAsync()) { Headers = { ContentType = content.Headers.ContentType } };
    }
}
