namespace LlmGate.Alerting.PagerDuty;

/// <summary>What the Events API v2 rejects with 400 beyond these sizes.</summary>
internal static class PagerDutyLimits
{
    public const int MaxBodyBytes = 512 * 1024;
    public const int MaxSummaryLength = 1024;
    public const int MaxDedupKeyLength = 255;

    /// <summary>Room kept for the <c>"routing_key":"...",</c> member the sender adds at send time.</summary>
    public const int RoutingKeyAllowance = 1024;

    /// <summary>Free-text fields (source, group, names in breakdowns) are cut to this many characters.</summary>
    public const int MaxNameLength = 255;
}
