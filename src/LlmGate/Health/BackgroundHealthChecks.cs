using LlmGate.Configuration;
using LlmGate.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Health;

/// <summary>
/// LiteLLM's <c>background_health_checks</c>: a round of health checks at start-up and then every
/// <c>health_check_interval</c>, into the store <c>/health</c> then answers from. A failed check feeds the router as a
/// failed call would (the cooldown rule: never a group's only deployment, never with cooldowns disabled), cooling the
/// deployment down for <c>cooldown_time</c>; it never counts for alerting.
/// </summary>
internal sealed class BackgroundHealthChecks(
    ModelHealthChecker checker,
    GatewaySnapshotSource snapshots,
    DeploymentCooldowns cooldowns,
    TimeProvider time,
    ILogger<BackgroundHealthChecks> logger) : BackgroundService
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(30);

    private PeriodicTimer? _timer;
    private TaskCompletionSource _nextRound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the round after this moment ends (tests drive the clock, then wait for it).</summary>
    internal Task NextRoundCompleted => Volatile.Read(ref _nextRound).Task;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Made here, not on the thread ExecuteAsync runs on: the timer exists once the host has started, so a test
        // driving a fake clock can count on it.
        var snapshot = snapshots.Current;
        var interval = Clamp(snapshot.Config.Observability.HealthCheckInterval);
        _timer = new PeriodicTimer(interval, time);
        ModelHealthLog.BackgroundStarted(logger, interval, Targets(snapshot).Count);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    /// <summary>One round: every deployment that can be checked and does not opt out, then the cooldowns.</summary>
    public async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = snapshots.Current;
            var outcomes = await checker.CheckAsync(Targets(snapshot), cancellationToken);
            FeedCooldowns(snapshot.Config.Router, outcomes);
        }
#pragma warning disable CA1031 // one failed round must not end the checks; the next interval tries again
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            ModelHealthLog.RoundFailed(logger, exception);
        }
        finally
        {
            Interlocked.Exchange(ref _nextRound, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("started without StartAsync");
        try
        {
            // As LiteLLM: the first round at start-up, so /health has answers before the first interval is over.
            do
            {
                await RunRoundAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // A timer takes neither less than a millisecond nor more than about 49 days; rounds more often than each second
    // would only load the providers.
    private static TimeSpan Clamp(TimeSpan interval) =>
        interval < MinInterval ? MinInterval : interval > MaxInterval ? MaxInterval : interval;

    private static List<HealthTarget> Targets(GatewaySnapshot snapshot)
    {
        var targets = new List<HealthTarget>();
        foreach (var group in snapshot.Routes.Groups)
        {
            foreach (var deployment in group.Deployments)
            {
                if (!deployment.Config.DisableBackgroundHealthCheck && HealthTarget.For(group, deployment) is { } target)
                {
                    targets.Add(target);
                }
            }
        }

        return targets;
    }

    // The attempt loop's rule for a failed attempt, with the whole cooldown_time at once: the check is one call
    // standing for the next interval's worth of them.
    private void FeedCooldowns(RouterOptions options, IReadOnlyList<HealthCheckOutcome> outcomes)
    {
        var now = time.GetUtcNow();
        foreach (var (target, _, failure) in outcomes)
        {
            if (failure is not { IsUpstreamFailure: true })
            {
                continue;
            }

            var id = target.Deployment.Id;
            if (cooldowns.RecordFailure(options, target.Group, id, failure.Status, failure.CountsForCooldown, options.CooldownTime, now) is { } until)
            {
                ModelHealthLog.CooldownStarted(logger, id, target.Group.Name, until, failure.Status);
            }
        }
    }
}
