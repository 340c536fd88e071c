namespace LlmGate.Alerting.Delivery;

/// <summary>One channel on the status page: what waits in its lane and how its attempts went. Holds no secret.</summary>
internal sealed record ChannelStatus
{
    public required string Name { get; init; }

    public int OutboxDepth { get; init; }

    /// <summary>When the oldest payload still waiting was queued: long ago means the channel is not getting through.</summary>
    public DateTimeOffset? OldestQueuedAt { get; init; }

    /// <summary>The last attempt, delivered or not.</summary>
    public DeliveryResult? LastDelivery { get; init; }

    public DeliveryResult? LastFailure { get; init; }

    /// <summary>The last attempt the channel accepted.</summary>
    public DeliveryResult? LastDelivered { get; init; }

    /// <summary>Failed attempts since the last delivered one.</summary>
    public int ConsecutiveFailures { get; init; }
}
