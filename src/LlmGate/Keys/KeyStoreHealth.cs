using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmGate.Keys;

/// <summary>
/// Whether the key store answered the spend writer's last round. Away, the gateway is degraded, not down: keys it
/// holds keep working on their budgets in memory, and only keys it has never seen are refused.
/// </summary>
internal sealed class KeyStoreHealth(TimeProvider time) : IHealthCheck
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _unavailableSince;
    private string? _lastError;

    public DateTimeOffset? UnavailableSince
    {
        get
        {
            lock (_gate)
            {
                return _unavailableSince;
            }
        }
    }

    /// <summary>True when this report turns the store from available to away (the one warning to log).</summary>
    public bool ReportFailure(string error)
    {
        lock (_gate)
        {
            _lastError = error;
            if (_unavailableSince is not null)
            {
                return false;
            }

            _unavailableSince = time.GetUtcNow();
            return true;
        }
    }

    /// <summary>True when this report ends an outage.</summary>
    public bool ReportSuccess()
    {
        lock (_gate)
        {
            var wasAway = _unavailableSince is not null;
            (_unavailableSince, _lastError) = (null, null);
            return wasAway;
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_unavailableSince is { } since
                ? HealthCheckResult.Degraded($"key database unreachable since {since:u}: {_lastError}")
                : HealthCheckResult.Healthy("key database connected"));
        }
    }
}
