namespace LlmGate.Alerting;

/// <summary>What a window's breakdown counts by. <see cref="Status"/> is 0 for hangs.</summary>
internal readonly record struct BreakdownKey(string ModelGroup, string DeploymentId, int Status)
{
    /// <summary>Where counts go once a bucket holds too many distinct keys.</summary>
    public static readonly BreakdownKey Overflow = new("(other)", "(other)", 0);
}
