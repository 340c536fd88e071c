namespace LlmGate.Alerting.Silences;

/// <summary>
/// Turns a posted <see cref="SilenceDocument"/> into a <see cref="Silence"/>, or says what is wrong with it, with
/// Alertmanager's rules: at least one matcher, on a label alerts carry, with a regex that compiles; not every matcher
/// matching the empty string (that silence would hold back every alert); an end after the start and in the future; a
/// creator and a comment. A start in the past (or none) is now.
/// </summary>
internal static class SilenceValidator
{
    public const int MaxMatchers = 32;
    public const int MaxValueLength = 1024;
    public const int MaxCreatedByLength = 256;
    public const int MaxCommentLength = 4096;

    /// <summary>The silence, or null with <paramref name="error"/> set.</summary>
    public static Silence? TryBuild(SilenceDocument document, string id, DateTimeOffset now, out string error)
    {
        ArgumentNullException.ThrowIfNull(document);
        var matchers = new List<SilenceMatcher>();
        if (document.Matchers is not { Count: > 0 } given)
        {
            return Fail("a silence needs at least one matcher", out error);
        }

        if (given.Count > MaxMatchers)
        {
            return Fail($"a silence takes at most {MaxMatchers} matchers", out error);
        }

        foreach (var matcher in given)
        {
            if (matcher is null || string.IsNullOrEmpty(matcher.Name))
            {
                return Fail($"every matcher needs a name, one of {string.Join(", ", AlertLabels.Names)}", out error);
            }

            if (matcher.Value is null)
            {
                return Fail($"matcher {matcher.Name} needs a value (\"\" matches alerts without the label)", out error);
            }

            if (matcher.Value.Length > MaxValueLength)
            {
                return Fail($"matcher {matcher.Name}: the value is longer than {MaxValueLength} characters", out error);
            }

            try
            {
                matchers.Add(SilenceMatcher.Create(matcher.Name, matcher.Value, matcher.IsRegex, matcher.IsEqual));
            }
            catch (FormatException exception)
            {
                return Fail(exception.Message, out error);
            }
        }

        if (matchers.TrueForAll(m => m.MatchesValue("")))
        {
            return Fail("every matcher matches the empty string, so the silence would hold back every alert; at least one must not", out error);
        }

        if (document.EndsAt is not { } endsAt)
        {
            return Fail("endsAt is required", out error);
        }

        if (endsAt <= now)
        {
            return Fail("endsAt must be in the future", out error);
        }

        var startsAt = document.StartsAt is { } start && start > now ? start : now;
        if (endsAt <= startsAt)
        {
            return Fail("endsAt must be after startsAt", out error);
        }

        if (string.IsNullOrWhiteSpace(document.CreatedBy) || document.CreatedBy.Length > MaxCreatedByLength)
        {
            return Fail($"createdBy is required (at most {MaxCreatedByLength} characters)", out error);
        }

        if (string.IsNullOrWhiteSpace(document.Comment) || document.Comment.Length > MaxCommentLength)
        {
            return Fail($"comment is required (at most {MaxCommentLength} characters)", out error);
        }

        error = "";
        return new Silence(id, matchers, startsAt.ToUniversalTime(), endsAt.ToUniversalTime(), document.CreatedBy.Trim(), document.Comment.Trim(), now);
    }

    /// <summary>A stored silence read back; null when it no longer parses (a label name since removed).</summary>
    public static Silence? FromStored(SilenceDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document is not { Id: { } id, Matchers: { } given, StartsAt: { } startsAt, EndsAt: { } endsAt, UpdatedAt: { } updatedAt })
        {
            return null;
        }

        try
        {
            var matchers = given.Select(m => SilenceMatcher.Create(m.Name ?? "", m.Value ?? "", m.IsRegex, m.IsEqual)).ToList();
            return new Silence(id, matchers, startsAt, endsAt, document.CreatedBy ?? "", document.Comment ?? "", updatedAt);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Silence? Fail(string message, out string error)
    {
        error = message;
        return null;
    }
}
