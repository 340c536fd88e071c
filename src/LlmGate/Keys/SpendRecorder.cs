using System.Collections.Concurrent;
using LlmGate.Calls;
using LlmGate.Routing;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>
/// Prices every call when it ends, settles what its key held (reservation, rate slots), and leaves a spend-log row
/// for the writer. In memory only, on the request's thread.
/// </summary>
internal sealed class SpendRecorder(GatewaySnapshotSource snapshots, CallPricing pricing, SpendLedger ledger, TimeProvider time, ILogger<SpendRecorder> logger) : ICallObserver
{
    // The deployments already reported for answering without usage: one warning each, not one per call.
    private readonly ConcurrentDictionary<string, bool> _withoutUsage = new(StringComparer.Ordinal);

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
    }

    public void OnCallEnded(CallContext call)
    {
        var attempt = call.CurrentAttempt;
        call.Cost ??= pricing.CostOf(call);

        call.Charge?.Settle(call);
        if (call is { Outcome: CallOutcome.Completed, Usage: null, CallType: "acompletion" or "atext_completion" or "anthropic_messages" or "aresponses" }
            && attempt is not null && _withoutUsage.TryAdd(attempt.DeploymentId, true))
        {
            // An upstream that ignores stream_options.include_usage or leaves usage out: nothing to price by.
            KeysLog.AnswerWithoutUsage(logger, attempt.DeploymentId, call.ModelGroup ?? "");
        }

        if (call.ModelGroup is null || snapshots.Current.Config.Spend.DisableSpendLogs)
        {
            return;
        }

        var caller = call.Caller;
        var usageOrZero = call.Usage;
        ledger.Log(new SpendLogRow
        {
            RequestId = call.CallId,
            CallType = call.CallType,
            ApiKey = caller.KeyHash ?? "",
            KeyAlias = caller.KeyAlias,
            Spend = call.Cost ?? 0,
            PromptTokens = usageOrZero?.PromptTokens ?? 0,
            CompletionTokens = usageOrZero?.CompletionTokens ?? 0,
            TotalTokens = usageOrZero?.TotalTokens ?? 0,
            StartTime = call.StartedAt,
            EndTime = time.GetUtcNow(),
            Model = attempt?.UpstreamModel,
            ModelId = attempt?.DeploymentId,
            ModelGroup = call.ModelGroup,
            Provider = attempt?.Provider,
            TeamId = caller.TeamId,
            UserId = caller.UserId,
            Status = call.Outcome == CallOutcome.Completed ? "success" : "failure",
        });
    }
}
