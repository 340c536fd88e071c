namespace LlmGate.Routing;

/// <summary>
/// The one reference to the current <see cref="GatewaySnapshot"/>. A request reads <see cref="Current"/> once, at its
/// start, and keeps that snapshot to its end; <see cref="Swap"/> replaces it atomically for the requests that follow
/// (config reload), so no request ever sees half of one config and half of another.
/// </summary>
internal sealed class GatewaySnapshotSource(GatewaySnapshot initial)
{
    private GatewaySnapshot _current = initial;

    public GatewaySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Makes <paramref name="next"/> current and returns the snapshot it replaced.</summary>
    public GatewaySnapshot Swap(GatewaySnapshot next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Interlocked.Exchange(ref _current, next);
    }
}
