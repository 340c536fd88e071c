namespace LlmGate.Alerting.Silences;

/// <summary>
/// A silence, as Alertmanager's: while active, an alert on a channel is held back when every matcher matches its
/// labels and the channel's kind (<c>channel</c>). Never edited in place: an update is a new record with the same id
/// and a later <see cref="UpdatedAt"/>, which is also what decides between two copies (memory, SQLite, Redis).
/// </summary>
internal sealed record Silence(
    string Id,
    IReadOnlyList<SilenceMatcher> Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string CreatedBy,
    string Comment,
    DateTimeOffset UpdatedAt)
{
    /// <summary>How long an expired silence is kept for audit: Alertmanager's default (<c>--data.retention=120h</c>).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(120);

    public SilenceState StateAt(DateTimeOffset now) =>
        now < StartsAt ? SilenceState.Pending : now < EndsAt ? SilenceState.Active : SilenceState.Expired;

    /// <summary>True when every matcher matches <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var matcher in Matchers)
        {
            if (!matcher.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether it holds back an alert with <paramref name="labels"/> from a channel of <paramref name="channelKind"/> at <paramref name="now"/>.</summary>
    public bool Silences(IReadOnlyDictionary<string, string> labels, string channelKind, DateTimeOffset now) =>
        StateAt(now) == SilenceState.Active && Matches(WithChannel(labels, channelKind));

    /// <summary>The alert's labels with <c>channel</c> set to the channel's kind, as matchers see them.</summary>
    public static IReadOnlyDictionary<string, string> WithChannel(IReadOnlyDictionary<string, string> labels, string channelKind)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new Dictionary<string, string>(labels, StringComparer.Ordinal) { [AlertLabels.Channel] = channelKind };
    }

    /// <summary>Over long enough ago to be forgotten.</summary>
    public bool PastRetention(DateTimeOffset now) => EndsAt + Retention < now;

    public override string ToString() => $"{Id} {{{string.Join(",", Matchers)}}}";
}
