using LlmGate.Calls;
using Microsoft.Extensions.Logging;

namespace LlmGate.Observability.Logging;

/// <summary>
/// With <c>--detailed_debug</c> (LiteLLM's flag) only: a debug line per upstream attempt and per call, for following a
/// call through retries and fallbacks. Names, statuses, timings and token counts; never a prompt, an answer or a key
/// (a failure's message is the one alerts get, with keys and prompt echoes redacted). Registered only when asked
/// for, so no other gateway pays for it.
/// </summary>
internal sealed partial class CallDebugLog(TimeProvider time, ILogger<CallDebugLog> logger) : ICallObserver
{
    public void OnCallStarted(CallContext call)
    {
    }

    public void OnAttemptStarted(CallContext call, CallAttempt attempt)
    {
    }

    public void OnProgress(CallContext call, long previousProgress, long now)
    {
    }

    public void OnAttemptEnded(CallContext call, CallAttempt attempt)
    {
        var milliseconds = time.GetElapsedTime(attempt.StartTimestamp, attempt.EndTimestamp ?? time.GetTimestamp()).TotalMilliseconds;
        AttemptEnded(
            logger, call.CallId, attempt.Number, attempt.ModelGroup, attempt.DeploymentId, attempt.Provider, attempt.UpstreamModel ?? "", attempt.Status,
            attempt.Error?.ToString() ?? "none", milliseconds);
    }

    public void OnCallEnded(CallContext call)
    {
        CallEnded(
            logger, call.CallId, call.CallType, call.Stream, call.ModelGroup ?? "(not routed)", call.Outcome, call.Failure?.Status ?? 200,
            time.GetElapsedTime(call.StartTimestamp).TotalMilliseconds, call.Attempts.Count, call.Usage?.PromptTokens ?? 0, call.Usage?.CompletionTokens ?? 0,
            call.Failure?.Message ?? "");
    }

    [LoggerMessage(EventId = 8301, Level = LogLevel.Debug,
        Message = "Call {CallId}: attempt {Attempt} to {ModelGroup} on deployment {DeploymentId} ({Provider} {UpstreamModel}) ended {Status} (error: {Error}) after {Milliseconds:0.#} ms")]
    private static partial void AttemptEnded(
        ILogger logger, string callId, int attempt, string modelGroup, string deploymentId, string provider, string upstreamModel, int status, string error, double milliseconds);

    [LoggerMessage(EventId = 8302, Level = LogLevel.Debug,
        Message = "Call {CallId} ({CallType}, stream {Stream}) to {ModelGroup}: {Outcome} {Status} after {Milliseconds:0.#} ms, {Attempts} attempts, {PromptTokens} prompt and {CompletionTokens} completion tokens {Failure}")]
    private static partial void CallEnded(
        ILogger logger, string callId, string callType, bool stream, string modelGroup, CallOutcome outcome, int status, double milliseconds, int attempts,
        long promptTokens, long completionTokens, string failure);
}
