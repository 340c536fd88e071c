namespace LlmGate.Keys;

/// <summary><c>GET /spend/logs</c>'s filters; rows come newest first, at most <see cref="Limit"/>.</summary>
internal sealed record SpendLogQuery
{
    public string? ApiKey { get; init; }

    public string? UserId { get; init; }

    public string? TeamId { get; init; }

    public string? RequestId { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public int Limit { get; init; } = 1000;
}
