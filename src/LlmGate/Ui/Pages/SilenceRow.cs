namespace LlmGate.Ui.Pages;

/// <summary>A silence as listed: matchers in amtool's notation and its state (<c>active</c>, <c>pending</c>, <c>expired</c>).</summary>
public sealed record SilenceRow(
    string Id,
    string State,
    IReadOnlyList<string> Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string CreatedBy,
    string Comment);
