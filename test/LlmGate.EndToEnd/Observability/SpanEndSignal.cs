using System.Diagnostics;
using OpenTelemetry;

namespace LlmGate.EndToEnd.Observability;

/// <summary>
/// A processor added after the gateway's exporters: when it sees a span end, the exporters have queued it, so a
/// <c>ForceFlush</c> afterwards sends it. Lets a test wait for the server span, which ends after the client has its answer.
/// </summary>
internal sealed class SpanEndSignal : BaseProcessor<Activity>
{
    private readonly List<Activity> _ended = [];
    private readonly List<(Func<Activity, bool> Match, TaskCompletionSource Signal)> _waiters = [];

    public override void OnEnd(Activity data)
    {
        lock (_waiters)
        {
            _ended.Add(data);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(data))
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// Completes when the gateway's server span of this trace has ended: the one whose parent is the client's span (a
    /// root when <paramref name="clientSpanId"/> is null). The fake upstreams run in the same process, so their server
    /// spans, children of the attempt spans, are in the trace too.
    /// </summary>
    public Task ServerSpanEnded(string traceId, string? clientSpanId) => WaitAsync(a =>
        a.Kind == ActivityKind.Server && a.TraceId.ToHexString() == traceId
        && (clientSpanId is null ? a.ParentSpanId == default : a.ParentSpanId.ToHexString() == clientSpanId));

    private Task WaitAsync(Func<Activity, bool> match)
    {
        lock (_waiters)
        {
            if (_ended.Any(match))
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task;
        }
    }
}
