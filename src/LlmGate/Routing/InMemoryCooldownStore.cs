using System.Collections.Concurrent;
using LlmGate.Configuration;

namespace LlmGate.Routing;

/// <summary>
/// Cooldowns of this process. A lookup is a dictionary read and a volatile long; failures take a per-deployment lock.
/// Memory is one small entry per deployment that ever failed.
/// </summary>
internal sealed class InMemoryCooldownStore(RouterOptions options) : ICooldownStore
{
    /// <summary>LiteLLM counts a deployment's failures per minute.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    /// <summary>A Retry-After longer than this cools a deployment down for this long only; it is asked again then.</summary>
    public static readonly TimeSpan MaxRetryAfterCooldown = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, CooldownEntry> _entries = new(StringComparer.Ordinal);
    private volatile RouterOptions _options = options;

    /// <summary>A reloaded config's allowed_fails and cooldown_time, for failures from now on; running cooldowns keep their end.</summary>
    public void Reconfigure(RouterOptions reloaded) => _options = reloaded ?? throw new ArgumentNullException(nameof(reloaded));

    public DateTimeOffset? CoolingDownUntil(string deploymentId, DateTimeOffset now)
    {
        if (_entries.IsEmpty || !_entries.TryGetValue(deploymentId, out var entry))
        {
            return null;
        }

        var until = entry.CoolUntilTicks;
        return until > now.UtcTicks ? new DateTimeOffset(until, TimeSpan.Zero) : null;
    }

    public DateTimeOffset? RecordFailure(string deploymentId, DateTimeOffset now, TimeSpan? coolFor)
    {
        var entry = _entries.GetOrAdd(deploymentId, static _ => new CooldownEntry());
        var capped = coolFor > MaxRetryAfterCooldown ? MaxRetryAfterCooldown : coolFor;
        var current = _options;
        return entry.RecordFailure(now, current.AllowedFails, current.CooldownTime, FailureWindow, capped);
    }

    public IReadOnlyList<KeyValuePair<string, DateTimeOffset>> ListCoolingDown(DateTimeOffset now)
    {
        var cooling = new List<KeyValuePair<string, DateTimeOffset>>();
        foreach (var (id, entry) in _entries)
        {
            if (entry.CoolUntilTicks > now.UtcTicks)
            {
                cooling.Add(new(id, new DateTimeOffset(entry.CoolUntilTicks, TimeSpan.Zero)));
            }
        }

        return cooling;
    }
}
