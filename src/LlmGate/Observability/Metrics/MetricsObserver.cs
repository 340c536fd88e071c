using LlmGate.Calls;
using LlmGate.Routing;

namespace LlmGate.Observability.Metrics;

/// <summary>
/// Writes LiteLLM's request, deployment, token and spend metrics as calls go: each attempt counts for its deployment
/// (retried failures included, as LiteLLM's deployment counters do), each call once for the proxy when it ends. On the
/// request's thread, O(1): a cached <see cref="CallSeries"/> lookup and a few interlocked adds.
/// </summary>
internal sealed class MetricsObserver(LiteLlmMetrics metrics, SeriesCache series, TimeProvider time) : ICallObserver, ICooldownListener
{
    public void OnCallStarted(CallContext call) => metrics.InFlightRequests.Inc();

    public void OnAttemptStarted(CallContext call, CallAttempt attempt)
    {
    }

    public void OnProgress(CallContext call, long previousProgress, long now)
    {
    }

    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
        if (attempt.Error is null && attempt.Status is 499)
        {
            return; // the client went away: neither the deployment's success nor its failure
        }

        var bundle = series.For(call.Caller, call.RequestedModel, attempt.DeploymentId);
        bundle.DeploymentTotal.Inc();
        if (attempt.Error is { } error)
        {
            if (error is not FailureKind.Refused and not FailureKind.InvalidRequest)
            {
                bundle.DeploymentFailure(attempt.Status, MetricLabels.ExceptionClass(attempt.Status, error)).Inc();
                bundle.Deployment?.State.Set(1);
            }

            return;
        }

        bundle.DeploymentSuccess.Inc();
        bundle.Deployment?.State.Set(0);
        if (attempt.RemainingRequests is { } requests)
        {
            bundle.RemainingRequests.Set(requests);
        }

        if (attempt.RemainingTokens is { } tokens)
        {
            bundle.RemainingTokens.Set(tokens);
        }
    }

    public void OnCallEnded(CallContext call)
    {
        metrics.InFlightRequests.Dec();
        var attempt = call.CurrentAttempt;
        var bundle = series.For(call.Caller, call.RequestedModel, attempt?.DeploymentId);
        var route = MetricLabels.Route(call.CallType);
        var end = time.GetTimestamp();
        switch (call.Outcome)
        {
            case CallOutcome.Completed:
                bundle.Completed(route).Inc();
                break;
            case CallOutcome.Failed when call.Failure is { } failure:
                bundle.Total(failure.Status, route).Inc();
                bundle.Failed(failure.Status, MetricLabels.ExceptionClass(failure.Status, failure.Kind), route).Inc();
                break;
            default:
                bundle.Total(499, route).Inc();
                break;
        }

        if (attempt is null)
        {
            return; // refused or invalid before any deployment was called: no latency, tokens or spend to speak of
        }

        bundle.RequestLatency.Observe(Seconds(call.StartTimestamp, end));
        bundle.Overhead.Observe(Seconds(call.StartTimestamp, FirstAttemptStart(call, attempt)));
        if (attempt.EndTimestamp is { } attemptEnd)
        {
            bundle.ApiLatency.Observe(Seconds(attempt.StartTimestamp, call.Outcome == CallOutcome.Completed ? end : attemptEnd));
        }

        if (call.Stream && attempt.FirstChunkTimestamp is { } firstChunk)
        {
            bundle.TimeToFirstToken.Observe(Seconds(attempt.StartTimestamp, firstChunk));
        }

        if (call.Usage is { } usage)
        {
            bundle.InputTokens.Inc(usage.PromptTokens);
            bundle.OutputTokens.Inc(usage.CompletionTokens);
            bundle.TotalTokens.Inc(usage.TotalTokens);
            if (call.Outcome == CallOutcome.Completed && usage.CompletionTokens > 0)
            {
                // LiteLLM's definition: a stream's time to first token, else the whole call, per output token.
                var latency = call.Stream && attempt.FirstChunkTimestamp is { } first
                    ? Seconds(attempt.StartTimestamp, first)
                    : Seconds(attempt.StartTimestamp, end);
                bundle.LatencyPerOutputToken.Observe(latency / usage.CompletionTokens);
            }
        }

        if (call.Cost is > 0 and var cost)
        {
            bundle.Spend.Inc(cost);
        }

        if (attempt.Number > 0 && attempt.ModelGroup != call.ModelGroup)
        {
            CountFallback(call, bundle);
        }
    }

    public void OnCooldownStarted(string deploymentId, string modelGroup, int status, DateTimeOffset until)
    {
        if (series.Deployment(deploymentId) is { } deployment)
        {
            deployment.CooledDown(status).Inc();
            deployment.State.Set(2);
        }
    }

    // Each fallback group tried counts once: successful when it answered, failed otherwise (LiteLLM's two counters).
    private static void CountFallback(CallContext call, CallSeries bundle)
    {
        var attempts = call.Attempts;
        for (var i = 1; i < attempts.Count; i++)
        {
            var group = attempts[i].ModelGroup;
            if (group == attempts[i - 1].ModelGroup || group == call.ModelGroup)
            {
                continue;
            }

            var last = attempts[i];
            for (var j = i + 1; j < attempts.Count && attempts[j].ModelGroup == group; j++)
            {
                last = attempts[j];
            }

            // Labelled, as LiteLLM's are, with the failure that sent the call to the fallback, whichever way it went.
            var succeeded = last.Error is null && call.Outcome == CallOutcome.Completed;
            var cause = attempts[i - 1];
            bundle.Fallback(succeeded, group, cause.Status, MetricLabels.ExceptionClass(cause.Status, cause.Error)).Inc();
        }
    }

    private static long FirstAttemptStart(CallContext call, CallAttempt current) =>
        current.Number == 0 ? current.StartTimestamp : call.Attempts[0].StartTimestamp;

    private double Seconds(long start, long end) => time.GetElapsedTime(start, end).TotalSeconds;
}
