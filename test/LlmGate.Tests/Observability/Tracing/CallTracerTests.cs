using System.Diagnostics;
using LlmGate.Calls;
using LlmGate.Observability.Tracing;
using LlmGate.Proxy;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Observability.Tracing;

/// <summary>
/// The tracing observer on its own, under a plain <see cref="ActivityListener"/>: which span is current when, what
/// each span is named and carries, and that nothing is made or set when nobody samples.
/// </summary>
public sealed class CallTracerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<Activity> _stopped = [];
    private readonly CallTracer _tracer;
    private readonly CallTracker _calls;
    private ActivitySamplingResult _sampling = ActivitySamplingResult.AllDataAndRecorded;
    private ActivityListener? _listener;

    public CallTracerTests()
    {
        _tracer = new CallTracer(_time, metrics: null);
        _calls = new CallTracker([_tracer], _time);
    }

    public void Dispose()
    {
        Activity.Current = null;
        _listener?.Dispose();
        _tracer.Dispose();
    }

    private void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TraceContext.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => _sampling,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void Call_NobodyListening_NoSpanAnywhere()
    {
        var call = _calls.Start(CallerIdentity.MasterKey);
        call.Routed("gpt-4o", stream: false);
        var attempt = call.StartAttempt("gpt-4o", "d1", "openai", "gpt-4o");

        Assert.Null(Activity.Current);
        call.EndAttempt(200, null);
        call.Completed();

        Assert.Equal(((Activity?)null, (Activity?)null), (call.Span, attempt.Span));
    }

    [Fact]
    public void RetriedCall_EachAttemptCurrentWhileSentAndChildOfTheCallSpan()
    {
        Listen();
        var call = _calls.Start(CallerIdentity.MasterKey);
        var callSpan = call.Span!;
        Assert.Same(callSpan, Activity.Current);
        call.Routed("gpt-4o", stream: false);

        var first = call.StartAttempt("gpt-4o", "d1", "openai", "gpt-4o-2024-08-06");
        Assert.Same(first.Span, Activity.Current);
        call.EndAttempt(503, FailureKind.UpstreamError);
        Assert.Same(callSpan, Activity.Current);
        var second = call.StartAttempt("gpt-4o", "d2", "azure", "gpt-4o-eu");
        Assert.Same(second.Span, Activity.Current);
        call.EndAttempt(200, null);
        Assert.Same(callSpan, Activity.Current);
        call.Usage = new TokenUsage(12, 34);
        call.Completed();

        Assert.Equal([first.Span!, second.Span!, callSpan], _stopped);
        Assert.All([first.Span!, second.Span!], a => Assert.Equal((ActivityKind.Client, callSpan.SpanId), (a.Kind, a.ParentSpanId)));
        Assert.Equal(("chat gpt-4o-2024-08-06", ActivityStatusCode.Error, "503", "503", 0), (first.Span!.DisplayName, first.Span.Status, Tag(first.Span, "error.type"), Tag(first.Span, "http.response.status_code"), first.Span.GetTagItem("llmgate.attempt")));
        Assert.Equal(("chat gpt-4o-eu", ActivityStatusCode.Ok, "azure.ai.openai", "gpt-4o-eu", "d2"), (second.Span!.DisplayName, second.Span.Status, Tag(second.Span, "gen_ai.provider.name"), Tag(second.Span, "gen_ai.response.model"), Tag(second.Span, "llmgate.deployment.id")));
        Assert.Equal(("chat gpt-4o", ActivityKind.Internal, ActivityStatusCode.Ok), (callSpan.DisplayName, callSpan.Kind, callSpan.Status));
        Assert.Equal(("gpt-4o", "gpt-4o-eu", "azure.ai.openai", "12", "34", call.CallId),
            (Tag(callSpan, "gen_ai.request.model"), Tag(callSpan, "gen_ai.response.model"), Tag(callSpan, "gen_ai.provider.name"),
             Tag(callSpan, "gen_ai.usage.input_tokens"), Tag(callSpan, "gen_ai.usage.output_tokens"), Tag(callSpan, "llmgate.call_id")));
    }

    [Fact]
    public void Embeddings_OperationNamedEmbeddings()
    {
        Listen();
        var call = _calls.Start(CallerIdentity.MasterKey);
        call.Routed("embedder", stream: false, "aembedding");
        call.StartAttempt("embedder", "d1", "cohere", "embed-english-v3.0");
        call.EndAttempt(200, null);
        call.Completed();

        Assert.Equal(["embeddings embed-english-v3.0", "embeddings embedder"], _stopped.Select(a => a.DisplayName));
        Assert.All(_stopped, a => Assert.Equal("embeddings", Tag(a, "gen_ai.operation.name")));
    }

    [Fact]
    public void MockAnswer_NoAttempt_CallSpanNamedAtItsEnd()
    {
        Listen();
        var call = _calls.Start(CallerIdentity.MasterKey);
        call.Routed("gpt-4o", stream: false);
        call.Completed();

        var span = Assert.Single(_stopped);
        Assert.Equal(("chat gpt-4o", "gpt-4o", (string?)null), (span.DisplayName, Tag(span, "gen_ai.request.model"), Tag(span, "gen_ai.provider.name")));
    }

    [Fact]
    public void NeverRouted_CallSpanNotRecorded()
    {
        Listen();
        var call = _calls.Start(CallerIdentity.MasterKey);
        call.Failed(new CallFailure(400, "invalid_request_error", "Invalid model name passed in model=nope.", FailureKind.InvalidRequest));

        var span = Assert.Single(_stopped);
        Assert.False(span.Recorded);
        Assert.False(span.IsAllDataRequested);
    }

    [Fact]
    public void FailedAndCancelled_ErrorTypeFromTheFailureAndCancelledWithoutError()
    {
        Listen();
        var timedOut = _calls.Start(CallerIdentity.MasterKey);
        timedOut.Routed("gpt-4o", stream: true);
        timedOut.StartAttempt("gpt-4o", "d1", "openai", "gpt-4o");
        timedOut.Failed(new CallFailure(504, "timeout", "Upstream timed out", FailureKind.Timeout));
        var gone = _calls.Start(CallerIdentity.MasterKey);
        gone.Routed("gpt-4o", stream: true);
        gone.StartAttempt("gpt-4o", "d1", "openai", "gpt-4o");
        gone.Cancelled();

        Assert.Equal(("timeout", ActivityStatusCode.Error, (string?)null), (Tag(timedOut.Span!, "error.type"), timedOut.Span!.Status, Tag(timedOut.CurrentAttempt!.Span!, "http.response.status_code")));
        Assert.Equal(("cancelled", ActivityStatusCode.Unset), (Tag(gone.Span!, "error.type"), gone.Span!.Status));
        Assert.Equal(("cancelled", ActivityStatusCode.Unset, (string?)null), (Tag(gone.CurrentAttempt!.Span!, "error.type"), gone.CurrentAttempt.Span!.Status, Tag(gone.CurrentAttempt.Span, "http.response.status_code")));
    }

    [Fact]
    public void PropagationOnly_SpansCarryTheTraceButNoAttributes()
    {
        _sampling = ActivitySamplingResult.PropagationData;
        Listen();
        var call = _calls.Start(CallerIdentity.MasterKey);
        call.Routed("gpt-4o", stream: false);
        var attempt = call.StartAttempt("gpt-4o", "d1", "openai", "gpt-4o");

        Assert.Same(attempt.Span, Activity.Current); // still propagated upstream, as not sampled
        call.EndAttempt(200, null);
        call.Completed();

        Assert.All(_stopped, a => Assert.Empty(a.TagObjects));
    }

    private static string? Tag(Activity activity, string key) => activity.GetTagItem(key) switch
    {
        null => null,
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var value => value.ToString(),
    };
}
