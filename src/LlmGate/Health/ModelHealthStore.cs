using System.Collections.Concurrent;

namespace LlmGate.Health;

/// <summary>
/// The latest health check of each deployment, whoever made it (<c>/health</c> or the background checks): what
/// <c>/health</c> answers from with background checks on, and what <c>/metrics</c> reads.
/// </summary>
internal sealed class ModelHealthStore : IModelHealthResults
{
    private readonly ConcurrentDictionary<string, ModelHealthResult> _latest = new(StringComparer.Ordinal);
    private long _lastUpdatedTicks;

    public IReadOnlyList<ModelHealthResult> Latest => [.. _latest.Values.OrderBy(r => r.ModelGroup, StringComparer.Ordinal).ThenBy(r => r.DeploymentId, StringComparer.Ordinal)];

    /// <summary>When the latest result was recorded; null before the first check.</summary>
    public DateTimeOffset? LastUpdated => Volatile.Read(ref _lastUpdatedTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public ModelHealthResult? Get(string deploymentId) => _latest.GetValueOrDefault(deploymentId);

    /// <summary>Keeps <paramref name="result"/> as its deployment's latest; returns the one it replaced, if any.</summary>
    public ModelHealthResult? Record(ModelHealthResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ModelHealthResult? previous;
        while (true)
        {
            if (_latest.TryGetValue(result.DeploymentId, out previous))
            {
                if (_latest.TryUpdate(result.DeploymentId, result, previous))
                {
                    break;
                }
            }
            else if (_latest.TryAdd(result.DeploymentId, result))
            {
                break;
            }
        }

        var ticks = result.CheckedAt.UtcTicks;
        var seen = Volatile.Read(ref _lastUpdatedTicks);
        while (ticks > seen && Interlocked.CompareExchange(ref _lastUpdatedTicks, ticks, seen) is var current && current != seen)
        {
            seen = current;
        }

        return previous;
    }
}
