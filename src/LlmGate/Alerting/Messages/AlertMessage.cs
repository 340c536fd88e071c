namespace LlmGate.Alerting.Messages;

/// <summary>
/// An alert as people read it, for every channel that shows text (Slack, Teams, Discord, email, the webhook's
/// <c>message</c>): built once by <see cref="AlertMessageBuilder"/>, laid out by each channel in its own format.
/// Everything in it is free of secrets and prompts.
/// </summary>
internal sealed record AlertMessage
{
    /// <summary>"High LLM API Failure Rate", or "Resolved: High LLM API Failure Rate".</summary>
    public required string Title { get; init; }

    public required bool Resolved { get; init; }

    /// <summary>LiteLLM's level: <c>Low</c>, <c>Medium</c> or <c>High</c>.</summary>
    public required string Level { get; init; }

    public required AlertSeverity Severity { get; init; }

    /// <summary>One or two sentences: what happened, against which threshold.</summary>
    public required string Summary { get; init; }

    /// <summary>LiteLLM's alert type (<c>llm_exceptions</c>, …) or LlmGate's.</summary>
    public required string AlertType { get; init; }

    public required string DedupKey { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Details under the summary: counts, top model groups, deployments and statuses, how long it lasted.</summary>
    public IReadOnlyList<AlertFact> Facts { get; init; } = [];

    /// <summary>The latest errors, one line each ("503 on gpt-4o / 3f9a1c0d (openai): upstream unavailable").</summary>
    public IReadOnlyList<string> RecentErrors { get; init; } = [];

    /// <summary>The dashboard (<c>PROXY_BASE_URL</c>) and the type's runbook, when configured.</summary>
    public IReadOnlyList<AlertLink> Links { get; init; } = [];

    /// <summary>For <c>budget_alerts</c>: LiteLLM's webhook event numbers.</summary>
    public BudgetEvent? Budget { get; init; }

    /// <summary>The alert's labels (what silences match).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = AlertLabels.None;

    /// <summary>The whole message as plain text (title, summary, facts, errors, links), for fallbacks and email.</summary>
    /// <summary>
    /// Title and summary as one line, the title said once: most summaries open with it already ("High LLM API Failure
    /// Rate: 3 in the last 60 seconds.", a resolve's "LLM API call failed (m1) is over: ...").
    /// </summary>
    public string Headline()
    {
        const string ResolvedPrefix = "Resolved: ";
        var bare = Title.StartsWith(ResolvedPrefix, StringComparison.Ordinal) ? Title[ResolvedPrefix.Length..] : Title;
        if (bare.Length == 0 || !Summary.StartsWith(bare, StringComparison.Ordinal))
        {
            return $"{Title}: {Summary}";
        }

        return bare.Length == Title.Length ? Summary : ResolvedPrefix + Summary;
    }

    public string PlainText()
    {
        var text = new System.Text.StringBuilder();
        text.Append(Title).Append('\n').Append(Summary).Append('\n');
        foreach (var fact in Facts)
        {
            text.Append('\n').Append(fact.Name).Append(": ").Append(fact.Value);
        }

        if (RecentErrors.Count > 0)
        {
            text.Append("\n\nRecent errors:");
            foreach (var error in RecentErrors)
            {
                text.Append("\n- ").Append(error);
            }
        }

        foreach (var link in Links)
        {
            text.Append('\n').Append(link.Text).Append(": ").Append(link.Url);
        }

        return text.ToString();
    }
}
