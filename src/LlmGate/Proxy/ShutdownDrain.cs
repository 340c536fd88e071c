using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LlmGate.Proxy;

/// <summary>
/// The gateway's stop, as a load balancer and a streaming client see it: from the first signal readiness answers 503
/// (this check) while requests and streams in flight run on; <see cref="StreamsCut"/> fires when the shutdown timeout
/// has passed, and the relays still streaming end with an SSE error event instead of a silent truncation.
/// </summary>
internal sealed class ShutdownDrain : IHealthCheck, IDisposable
{
    private readonly CancellationTokenSource _cut = new();
    private readonly CancellationTokenRegistration _stopping;
    private readonly TimeProvider _time;
    private ITimer? _deadline;

    public ShutdownDrain(IHostApplicationLifetime lifetime, TimeProvider time, TimeSpan timeout)
    {
        Timeout = timeout;
        _time = time;
        // The deadline's timer is made when the stop begins, not before: a running gateway holds no timer for it.
        _stopping = lifetime.ApplicationStopping.UnsafeRegister(static state =>
        {
            var drain = (ShutdownDrain)state!;
            drain.Draining = true;
            drain._deadline = drain._time.CreateTimer(static cut => ((CancellationTokenSource)cut!).Cancel(), drain._cut, drain.Timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }, this);
    }

    /// <summary>How long requests in flight may run on after the stop began (<c>--shutdown-timeout</c>).</summary>
    public TimeSpan Timeout { get; }

    public bool Draining { get; private set; }

    public CancellationToken StreamsCut => _cut.Token;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Draining ? HealthCheckResult.Unhealthy("shutting down: finishing the requests in flight") : HealthCheckResult.Healthy());

    public void Dispose()
    {
        _stopping.Dispose();
        _deadline?.Dispose();
        _cut.Dispose();
    }
}
