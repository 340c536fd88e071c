namespace LlmGate.Alerting.Silences;

/// <summary>Where a silence is in its life, as Alertmanager names it.</summary>
internal enum SilenceState
{
    /// <summary>Starts later.</summary>
    Pending,

    /// <summary>Holds matching alerts back now.</summary>
    Active,

    /// <summary>Over; kept for audit until <see cref="Silence.Retention"/> after its end.</summary>
    Expired,
}
