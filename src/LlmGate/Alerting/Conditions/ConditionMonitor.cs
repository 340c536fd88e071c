using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Alerting.Conditions;

/// <summary>
/// Every second: each wanted type takes what the request path recorded, then sends what is due — triggers,
/// escalations, resolves of quiet conditions, digests and reports. The request path never sends anything.
/// </summary>
internal sealed class ConditionMonitor : BackgroundService
{
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromSeconds(1);

    private readonly ConditionSet _set;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Created here, not in ExecuteAsync, so the first tick is due one interval after start-up (as AlertDetector's).
    private readonly PeriodicTimer _timer;

    public ConditionMonitor(ConditionSet set, TimeProvider time, ILogger<ConditionMonitor> logger)
    {
        _set = set;
        _time = time;
        _logger = logger;
        _timer = new PeriodicTimer(EvaluationInterval, time);
    }

    public void Evaluate()
    {
        var now = _time.GetUtcNow();
        foreach (var evaluator in _set.Evaluators)
        {
            try
            {
                evaluator.Evaluate(now);
            }
#pragma warning disable CA1031 // one type's failure must not stop the others, nor the next tick
            catch (Exception exception)
#pragma warning restore CA1031
            {
                ConditionLog.EvaluationFailed(_logger, exception, evaluator.Type);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                Evaluate();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }
}
