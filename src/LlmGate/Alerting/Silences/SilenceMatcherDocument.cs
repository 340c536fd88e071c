namespace LlmGate.Alerting.Silences;

/// <summary>A matcher on the wire, Alertmanager v2's shape; <c>isEqual</c> defaults to true as there.</summary>
internal sealed record SilenceMatcherDocument
{
    public string? Name { get; init; }

    public string? Value { get; init; }

    public bool IsRegex { get; init; }

    public bool IsEqual { get; init; } = true;

    public static SilenceMatcherDocument From(SilenceMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        return new() { Name = matcher.Name, Value = matcher.Value, IsRegex = matcher.IsRegex, IsEqual = matcher.IsEqual };
    }
}
