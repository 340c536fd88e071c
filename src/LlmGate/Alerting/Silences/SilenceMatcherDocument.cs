namespace LlmGate.Alerting.Silences;

/// <summary>
/// A matcher on the wire, Alertmanager v2's shape; <c>isEqual</c> defaults to true as there. Settable rather than
/// init-only: the source generator sets every init-only property, so a missing <c>isEqual</c> would become false.
/// </summary>
internal sealed record SilenceMatcherDocument
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    public bool IsRegex { get; set; }

    public bool IsEqual { get; set; } = true;

    public static SilenceMatcherDocument From(SilenceMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        return new() { Name = matcher.Name, Value = matcher.Value, IsRegex = matcher.IsRegex, IsEqual = matcher.IsEqual };
    }
}
