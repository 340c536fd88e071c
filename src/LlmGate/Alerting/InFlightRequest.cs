namespace LlmGate.Alerting;

/// <summary>
/// One request in flight: ids, timestamps and flags only, never a body. Ends once; every end removes it from the
/// registry. A request counts as hung at most once (the sweep or its own late progress, whichever sees it first).
/// </summary>
internal sealed class InFlightRequest : IRequestTracker
{
    private readonly InFlightRegistry _registry;
    private long _lastProgress;
    private int _hangCounted;
    private int _ended;

    public InFlightRequest(InFlightRegistry registry, long id, long startTimestamp, string modelGroup, string deploymentId, string provider, bool stream)
    {
        _registry = registry;
        Id = id;
        StartTimestamp = startTimestamp;
        _lastProgress = startTimestamp;
        ModelGroup = modelGroup;
        DeploymentId = deploymentId;
        Provider = provider;
        Stream = stream;
    }

    public long Id { get; }

    public long StartTimestamp { get; }

    public string ModelGroup { get; }

    public string DeploymentId { get; }

    public string Provider { get; }

    public bool Stream { get; }

    public long LastProgressTimestamp => Volatile.Read(ref _lastProgress);

    /// <summary>
    /// Since when the request has been waiting: a stream waits for its next chunk since the last progress; any other
    /// request waits for its answer since it started (response headers alone are not the answer).
    /// </summary>
    public long WaitingSince => Stream ? LastProgressTimestamp : StartTimestamp;

    public bool HasEnded => Volatile.Read(ref _ended) != 0;

    public void Progress()
    {
        if (HasEnded || !Stream)
        {
            return;
        }

        var now = _registry.Timestamp();
        _registry.CountHangIfWaitedTooLong(this, Interlocked.Exchange(ref _lastProgress, now), now);
    }

    public void Completed()
    {
        if (TryEnd(out var now))
        {
            _registry.CountHangIfWaitedTooLong(this, WaitingSince, now);
        }
    }

    public void Failed(RequestFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (TryEnd(out var now))
        {
            // A request that waited past the threshold and then failed was both hung and failed.
            _registry.CountHangIfWaitedTooLong(this, WaitingSince, now);
            _registry.RecordFailure(this, failure);
        }
    }

    public void Cancelled()
    {
        // Neither a success nor a failure; but a client that gave up after waiting past the threshold saw a hang,
        // and counting it here keeps the result independent of when the sweep last ran.
        if (TryEnd(out var now))
        {
            _registry.CountHangIfWaitedTooLong(this, WaitingSince, now);
        }
    }

    /// <summary>Claims the one hang this request may count; false when it was already counted.</summary>
    public bool TryMarkHung() => Interlocked.Exchange(ref _hangCounted, 1) == 0;

    private bool TryEnd(out long now)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            now = 0;
            return false;
        }

        now = _registry.Timestamp();
        _registry.Remove(this);
        return true;
    }
}
