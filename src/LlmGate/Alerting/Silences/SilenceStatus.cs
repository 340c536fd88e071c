namespace LlmGate.Alerting.Silences;

/// <summary>A silence as <c>/alerting/status</c> shows it: matchers in amtool's notation (<c>class=llm_api_failure</c>).</summary>
internal sealed record SilenceStatus(string Id, string State, IReadOnlyList<string> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment)
{
    public static SilenceStatus Of(Silence silence, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(silence);
        return new(silence.Id, SilenceDocument.StateName(silence.StateAt(now)), [.. silence.Matchers.Select(m => m.ToString())],
            silence.StartsAt, silence.EndsAt, silence.CreatedBy, silence.Comment);
    }
}
