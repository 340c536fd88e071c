using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LlmGate.Providers;

/// <summary>
/// Copies an upstream answer's status and end-to-end headers to the client, leaving behind hop-by-hop ones, the
/// gateway's own <c>x-litellm-*</c> (an upstream that is itself a LiteLLM proxy describes its own hop, not ours) and any
/// value Kestrel cannot send (non-ASCII): a header is never worth failing the answer for.
/// </summary>
internal static class ResponseHeaders
{
    public static void Copy(HttpResponse target, HttpResponseMessage source)
    {
        target.StatusCode = (int)source.StatusCode;
        CopyResponseHeaders(target, source);
        foreach (var header in source.Content.Headers.NonValidated)
        {
            if (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                // HttpClient keeps it parsed; as a number it is written without formatting a string per answer.
                target.ContentLength = source.Content.Headers.ContentLength;
                continue;
            }

            TrySet(target.Headers, header.Key, header.Value);
        }
    }

    /// <summary>
    /// The upstream's own headers without its content headers: for an answer whose body the gateway writes itself but
    /// passes on as the provider's (a request id a client quotes to its support, rate-limit headers it paces by).
    /// </summary>
    public static void CopyResponseHeaders(HttpResponse target, HttpResponseMessage source)
    {
        // NonValidated: the values as the upstream sent them, without parsing each into typed header objects first.
        foreach (var header in source.Headers.NonValidated)
        {
            if (!IsHopByHop(header.Key) && !IsGatewayOwn(header.Key) && !IsSetByGateway(target.Headers, header.Key))
            {
                TrySet(target.Headers, header.Key, header.Value);
            }
        }
    }

    private static void TrySet(IHeaderDictionary headers, string name, HeaderStringValues values)
    {
        try
        {
            headers[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
        }
        catch (InvalidOperationException)
        {
            // Kestrel refuses non-ASCII and control characters in a value.
        }
    }

    // A virtual key's own limits (x-ratelimit-*, set before the call) win over the provider's, as in LiteLLM.
    private static bool IsSetByGateway(IHeaderDictionary headers, string name) =>
        name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase) && headers.ContainsKey(name);

    private static bool IsGatewayOwn(string name) => name.StartsWith("x-litellm-", StringComparison.OrdinalIgnoreCase);

    private static bool IsHopByHop(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Alt-Svc", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Server", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Date", StringComparison.OrdinalIgnoreCase);
}
