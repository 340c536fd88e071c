namespace LlmGate.Configuration;

/// <summary>
/// <c>webhook</c>: env <c>WEBHOOK_URL</c>; with <c>llmgate_settings.alerting.webhook_secret</c> every body is signed
/// (<c>X-LlmGate-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>). Both are secrets: never logged.
/// </summary>
internal sealed record WebhookOptions(Uri Url, string? Secret);
