namespace LlmGate.Alerting.Silences;

/// <summary>
/// A silence on the wire and at rest, in Alertmanager v2's shape: what a POST sends (<c>id</c> only to update), what a
/// GET answers (with <c>status</c> and <c>updatedAt</c>), and what SQLite and Redis keep (without <c>status</c>).
/// </summary>
internal sealed record SilenceDocument
{
    public string? Id { get; init; }

    public SilenceStatusDocument? Status { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public IReadOnlyList<SilenceMatcherDocument>? Matchers { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    public string? CreatedBy { get; init; }

    public string? Comment { get; init; }

    /// <summary>The silence as stored (no status: it depends on when it is read).</summary>
    public static SilenceDocument Stored(Silence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        return new()
        {
            Id = silence.Id,
            UpdatedAt = silence.UpdatedAt,
            Matchers = [.. silence.Matchers.Select(SilenceMatcherDocument.From)],
            StartsAt = silence.StartsAt,
            EndsAt = silence.EndsAt,
            CreatedBy = silence.CreatedBy,
            Comment = silence.Comment,
        };
    }

    /// <summary>The silence as a GET shows it at <paramref name="now"/>.</summary>
    public static SilenceDocument Shown(Silence silence, DateTimeOffset now) =>
        Stored(silence) with { Status = new SilenceStatusDocument(StateName(silence.StateAt(now))) };

    public static string StateName(SilenceState state) => state switch
    {
        SilenceState.Pending => "pending",
        SilenceState.Active => "active",
        _ => "expired",
    };
}
