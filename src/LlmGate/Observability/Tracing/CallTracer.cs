using System.Diagnostics;
using LlmGate.Calls;
using LlmGate.Proxy;

namespace LlmGate.Observability.Tracing;

/// <summary>
/// Turns calls into spans and GenAI metrics. Under the ASP.NET Core server span, a call span (INTERNAL,
/// <c>chat gpt-4o</c>) and one CLIENT child per attempt, current while its request is sent so that
/// <see cref="TraceContext"/> carries its <c>traceparent</c> upstream. Spans exist only when a listener samples them;
/// attributes are set only when the span records them. Ids, models, counts and statuses only: never a body, a prompt, a
/// completion or a key.
/// </summary>
internal sealed class CallTracer : ICallObserver, IDisposable
{
    // The name a call span has until the model is known; calls that never get that far are dropped at their end.
    private const string PendingName = "call";

    // What CallContext.Cancelled ends an unanswered attempt with.
    private const int CancelledStatus = 499;

    private readonly ActivitySource _source = new(TraceContext.SourceName);
    private readonly TimeProvider _time;
    private readonly GenAiMetrics? _metrics;

    public CallTracer(TimeProvider time, GenAiMetrics? metrics)
    {
        _time = time;
        _metrics = metrics;
    }

    public void OnCallStarted(CallContext call)
    {
        // Started here, on the request's own flow, so it is current for everything the call does after.
        if (_source.HasListeners())
        {
            call.Span = _source.StartActivity(PendingName, ActivityKind.Internal);
        }
    }

    public void OnAttemptStarted(CallContext call, CallAttempt attempt)
    {
        if (call.Span is not { } callSpan)
        {
            return;
        }

        var operation = GenAiNames.Operation(call.CallType);
        if (attempt.Number == 0)
        {
            Name(call, callSpan, operation);
        }

        // Parented by the call span, whatever an earlier attempt left current; current from here until it ends.
        Activity.Current = callSpan;
        var model = attempt.UpstreamModel ?? attempt.ModelGroup;
        var span = _source.StartActivity(string.Concat(operation, " ", model), ActivityKind.Client);
        attempt.Span = span;
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(GenAiAttributes.OperationName, operation);
            span.SetTag(GenAiAttributes.ProviderName, GenAiNames.Provider(attempt.Provider));
            span.SetTag(GenAiAttributes.RequestModel, model);
            span.SetTag(GenAiAttributes.DeploymentId, attempt.DeploymentId);
            span.SetTag(GenAiAttributes.ModelGroup, attempt.ModelGroup);
            span.SetTag(GenAiAttributes.Attempt, GenAiNames.Boxed(attempt.Number));
        }
    }

    public void OnProgress(CallContext call, long previousProgress, long now)
    {
    }

    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
        if (attempt.Span is not { } span)
        {
            return;
        }

        if (span.IsAllDataRequested)
        {
            if (attempt.Error is { } error)
            {
                // A timeout or a refused connection got no answer: the status is the gateway's own, not the upstream's.
                if (error == FailureKind.UpstreamError)
                {
                    span.SetTag(GenAiAttributes.HttpStatusCode, GenAiNames.Boxed(attempt.Status));
                }

                span.SetTag(GenAiAttributes.ErrorType, GenAiNames.ErrorType(error, attempt.Status));
                span.SetStatus(ActivityStatusCode.Error);
            }
            else if (attempt.Status == CancelledStatus)
            {
                // The client went away before an answer: not the deployment's failure.
                span.SetTag(GenAiAttributes.ErrorType, "cancelled");
            }
            else
            {
                span.SetTag(GenAiAttributes.HttpStatusCode, GenAiNames.Boxed(attempt.Status));
                span.SetTag(GenAiAttributes.ResponseModel, attempt.UpstreamModel ?? attempt.ModelGroup);
                span.SetStatus(ActivityStatusCode.Ok);
            }
        }

        // Stopping makes the call span current again (it was when this one started).
        span.Stop();
    }

    public void OnCallEnded(CallContext call)
    {
        var last = call.CurrentAttempt;
        if (_metrics is not null && call.ModelGroup is not null && last is not null && _metrics.Enabled)
        {
            RecordMetrics(call, last);
        }

        if (call.Span is not { } span)
        {
            return;
        }

        if (call.ModelGroup is null)
        {
            // Refused before routing (a malformed body, an unknown model): the server span tells it; no call span.
            span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            span.IsAllDataRequested = false;
            span.Stop();
            return;
        }

        if (span.IsAllDataRequested)
        {
            var operation = GenAiNames.Operation(call.CallType);
            if (last is null)
            {
                // Answered without an attempt (a mock response) or refused by the caller's key: named now.
                Name(call, span, operation);
            }
            else
            {
                span.SetTag(GenAiAttributes.ProviderName, GenAiNames.Provider(last.Provider));
            }

            span.SetTag(GenAiAttributes.CallId, call.CallId);
            if (call.FinishReason is { } finishReason)
            {
                span.SetTag(GenAiAttributes.FinishReasons, GenAiNames.FinishReasons(finishReason));
            }

            if (call.Usage is { } usage)
            {
                span.SetTag(GenAiAttributes.InputTokens, usage.PromptTokens);
                span.SetTag(GenAiAttributes.OutputTokens, usage.CompletionTokens);
            }

            switch (call.Outcome)
            {
                case CallOutcome.Completed:
                    if (last is not null)
                    {
                        span.SetTag(GenAiAttributes.ResponseModel, last.UpstreamModel ?? last.ModelGroup);
                    }

                    span.SetStatus(ActivityStatusCode.Ok);
                    break;
                case CallOutcome.Failed when call.Failure is { } failure:
                    span.SetTag(GenAiAttributes.ErrorType, GenAiNames.ErrorType(failure.Kind, failure.Status));
                    span.SetStatus(ActivityStatusCode.Error);
                    break;
                case CallOutcome.Cancelled:
                    span.SetTag(GenAiAttributes.ErrorType, "cancelled");
                    break;
            }
        }

        span.Stop();
    }

    public void Dispose() => _source.Dispose();

    // The client's model: the group it resolved to, or for a wildcard group the model its first attempt was sent
    // (the client's, as the wildcard matched it).
    private static string RequestModel(CallContext call)
    {
        var group = call.ModelGroup!;
        return group.Contains('*', StringComparison.Ordinal) && call.Attempts is [{ UpstreamModel: { } named }, ..] ? named : group;
    }

    private static void Name(CallContext call, Activity span, string operation)
    {
        var model = RequestModel(call);
        span.DisplayName = string.Concat(operation, " ", model);
        if (span.IsAllDataRequested)
        {
            span.SetTag(GenAiAttributes.OperationName, operation);
            span.SetTag(GenAiAttributes.RequestModel, model);
        }
    }

    private void RecordMetrics(CallContext call, CallAttempt last)
    {
        var tags = new TagList
        {
            { GenAiAttributes.OperationName, GenAiNames.Operation(call.CallType) },
            { GenAiAttributes.ProviderName, GenAiNames.Provider(last.Provider) },
            { GenAiAttributes.RequestModel, RequestModel(call) },
        };
        var completed = call.Outcome == CallOutcome.Completed;
        if (completed)
        {
            tags.Add(GenAiAttributes.ResponseModel, last.UpstreamModel ?? last.ModelGroup);
        }
        else
        {
            tags.Add(GenAiAttributes.ErrorType, call.Failure is { } failure ? GenAiNames.ErrorType(failure.Kind, failure.Status) : "cancelled");
        }

        var now = _time.GetTimestamp();
        // From the answering attempt's start, as LiteLLM's TTFT metric: the server's time, not the retries before it.
        TimeSpan? timeToFirstToken = completed && call.Stream && last.FirstChunkTimestamp is { } firstChunk
            ? _time.GetElapsedTime(last.StartTimestamp, firstChunk)
            : null;
        _metrics!.Record(tags, _time.GetElapsedTime(call.StartTimestamp, now), call.Usage?.PromptTokens, call.Usage?.CompletionTokens, timeToFirstToken);
    }
}
