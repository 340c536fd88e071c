namespace LlmGate.Alerting.Delivery;

/// <summary>
/// What an incoming webhook answered to one POST: its status, the start of its body and its Retry-After; or, when
/// no answer came, why (<see cref="Error"/>). Holds no URL.
/// </summary>
internal sealed record WebhookAnswer(int? StatusCode, string Body, TimeSpan? RetryAfter, string? Error);
