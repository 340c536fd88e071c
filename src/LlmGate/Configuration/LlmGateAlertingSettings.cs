namespace LlmGate.Configuration;

/// <summary><c>llmgate_settings.alerting</c>: what LlmGate's alerting takes that LiteLLM has no key for.</summary>
internal sealed record LlmGateAlertingSettings
{
    public static readonly LlmGateAlertingSettings Empty = new();

    /// <summary><c>webhook_secret</c>: signs the webhook channel's bodies.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary><c>email.recipients</c>.</summary>
    public IReadOnlyList<string> EmailRecipients { get; init; } = [];

    /// <summary><c>routes</c>: alert type to the channels it goes to.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Routes { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary><c>runbook_urls</c>: alert type to a runbook linked from its messages.</summary>
    public IReadOnlyDictionary<string, Uri> RunbookUrls { get; init; } = new Dictionary<string, Uri>(StringComparer.Ordinal);
}
