namespace LlmGate.Alerting.Conditions;

/// <summary>
/// Which replica tells a condition, when several share a Redis: the first to claim a condition's open sends its
/// trigger and, once the claim has lapsed (no replica saw it for the quiet period), its resolve. Called from the
/// background loop only. Null answers mean "cannot tell" (no Redis, or unreachable): the replica then acts alone.
/// </summary>
internal interface IConditionClaims
{
    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="quiet"/>, or extends whoever's claim holds it (occurrences
    /// continue somewhere); true when it is this replica's.
    /// </summary>
    bool? Claim(string key, TimeSpan quiet);

    /// <summary>How long the claim on <paramref name="key"/> has left (zero when it has lapsed).</summary>
    TimeSpan? Remaining(string key);
}
