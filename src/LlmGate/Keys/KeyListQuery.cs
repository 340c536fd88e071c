namespace LlmGate.Keys;

/// <summary><c>GET /key/list</c>'s filters and page (1-based; size capped at 100 by the caller).</summary>
internal sealed record KeyListQuery
{
    public int Page { get; init; } = 1;

    public int Size { get; init; } = 10;

    public string? UserId { get; init; }

    public string? TeamId { get; init; }

    public string? KeyAlias { get; init; }

    public string? KeyHash { get; init; }
}
