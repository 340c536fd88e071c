namespace LlmGate.Alerting.Conditions;

/// <summary>
/// One problem's condition as the background loop keeps it: the level wanted and the level sent, when it resolves,
/// and what was seen since it opened (counts, tallies, the latest errors scrubbed). Touched by the loop alone.
/// </summary>
internal sealed class ConditionState(ConditionProblem problem, string dedupKey)
{
    public ConditionProblem Problem { get; } = problem;

    public string DedupKey { get; } = dedupKey;

    /// <summary>The level the condition has reached (1 = open, 2 = escalated); ahead of <see cref="SentLevel"/> until a trigger is queued.</summary>
    public int WantedLevel { get; set; }

    /// <summary>The level the last queued trigger said; 0 before the first.</summary>
    public int SentLevel { get; set; }

    public DateTimeOffset ResolveAt { get; set; }

    /// <summary>How long the condition stays open after its last occurrence (a shared claim's lifetime).</summary>
    public TimeSpan Quiet { get; set; }

    /// <summary>Whether this replica tells the condition (with shared claims); false when another replica does.</summary>
    public bool Owner { get; set; } = true;

    public DateTimeOffset? OpenedAt { get; set; }

    /// <summary>Opened before the gateway's last start and read back from the outbox: nothing seen of it since, unless <see cref="Count"/> says so.</summary>
    public bool Restored { get; init; }

    public DateTimeOffset FirstSeen { get; private set; }

    public DateTimeOffset LastSeen { get; private set; }

    /// <summary>Occurrences since the condition opened.</summary>
    public long Count { get; private set; }

    /// <summary><see cref="Count"/> when the last message went out: the difference is what was folded since.</summary>
    public long CountAtLastMessage { get; set; }

    public long Folded => Count - CountAtLastMessage;

    public Dictionary<int, long> Statuses { get; } = [];

    public Dictionary<string, long> Deployments { get; } = new(StringComparer.Ordinal);

    public long Max { get; private set; }

    /// <summary>The latest errors, newest last, at most <see cref="ConditionActivity.RecentCapacity"/>, scrubbed and cut.</summary>
    public List<AlertObservation> RecentErrors { get; } = [];

    public void Add(ActivityDelta delta, IEnumerable<AlertObservation> recent)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (Count == 0)
        {
            FirstSeen = delta.First;
            Max = delta.Max;
        }

        Count += delta.Count;
        LastSeen = delta.Last > LastSeen ? delta.Last : LastSeen;
        Max = Math.Max(Max, delta.Max);
        foreach (var (status, count) in delta.Statuses)
        {
            Statuses[status] = Statuses.GetValueOrDefault(status) + count;
        }

        foreach (var (deployment, count) in delta.Deployments)
        {
            Deployments[deployment] = Deployments.GetValueOrDefault(deployment) + count;
        }

        RecentErrors.AddRange(recent);
        if (RecentErrors.Count > ConditionActivity.RecentCapacity)
        {
            RecentErrors.RemoveRange(0, RecentErrors.Count - ConditionActivity.RecentCapacity);
        }
    }
}
