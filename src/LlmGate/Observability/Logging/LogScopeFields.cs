using System.Diagnostics;
using System.Text.Json;
using LlmGate.Proxy;

namespace LlmGate.Observability.Logging;

/// <summary>
/// The ids a JSON log line takes from the scopes around it: the trace and span (ASP.NET Core's activity scope, or
/// <see cref="Activity.Current"/>), the request id (its hosting scope) and the call id (<see cref="CallLogScope"/>).
/// Nothing else of a scope is written: a scope another library opens (an HTTP client's, with its URL) may hold what a
/// log must not.
/// </summary>
internal sealed class LogScopeFields
{
    public static readonly Action<object?, LogScopeFields> Collect = static (scope, fields) => fields.Add(scope);

    public string? TraceId { get; private set; }

    public string? SpanId { get; private set; }

    public string? RequestId { get; private set; }

    public string? CallId { get; private set; }

    /// <summary>Falls back to the current activity when no scope named a trace (scopes off, or logged outside a request).</summary>
    public void AddCurrentActivity()
    {
        if (TraceId is null && Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            TraceId = activity.TraceId.ToHexString();
            SpanId ??= activity.SpanId.ToHexString();
        }
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        WriteIfSet(writer, "trace_id", TraceId);
        WriteIfSet(writer, "span_id", SpanId);
        WriteIfSet(writer, "request_id", RequestId);
        WriteIfSet(writer, "call_id", CallId);
    }

    public void Clear() => (TraceId, SpanId, RequestId, CallId) = (null, null, null, null);

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    private void Add(object? scope)
    {
        if (scope is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                Take(list[i]);
            }
        }
        else if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var pair in pairs)
            {
                Take(pair);
            }
        }
    }

    // Scopes are visited outermost first: the first value of a key wins (the activity scope comes before them all).
    private void Take(KeyValuePair<string, object?> pair)
    {
        switch (pair.Key)
        {
            case "TraceId":
                TraceId ??= pair.Value?.ToString();
                break;
            case "SpanId":
                SpanId ??= pair.Value?.ToString();
                break;
            case "RequestId":
                RequestId ??= pair.Value?.ToString();
                break;
            case CallLogScope.CallIdKey:
                CallId ??= pair.Value?.ToString();
                break;
        }
    }
}
