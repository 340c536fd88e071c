using System.Diagnostics;

namespace LlmGate.Proxy;

/// <summary>
/// Carries the trace on to the provider: when the gateway's own span of this attempt is current (tracing is on and
/// sampled it), the upstream request gets its W3C <c>traceparent</c> (and <c>tracestate</c>). The HTTP handler's own
/// propagation is off (<see cref="UpstreamClient"/>), so nothing is added when tracing is off.
/// </summary>
internal static class TraceContext
{
    /// <summary>The name of the gateway's <see cref="ActivitySource"/>; its spans are the only ones propagated upstream.</summary>
    public const string SourceName = "LlmGate";

    public static void Inject(HttpRequestMessage request)
    {
        if (Activity.Current is not { Source.Name: SourceName, IdFormat: ActivityIdFormat.W3C } span)
        {
            return;
        }

        var headers = request.Headers;
        headers.Remove("traceparent");
        headers.TryAddWithoutValidation("traceparent", span.Id);
        if (span.TraceStateString is { Length: > 0 } state)
        {
            headers.Remove("tracestate");
            headers.TryAddWithoutValidation("tracestate", state);
        }
    }
}
