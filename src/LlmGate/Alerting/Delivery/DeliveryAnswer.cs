namespace LlmGate.Alerting.Delivery;

/// <summary>
/// A channel's answer to one attempt: delivered, worth another try (after <see cref="RetryAfter"/> when the far end
/// asked for a wait), or refused for good. <see cref="StatusCode"/> is null when no answer came; <see cref="Description"/>
/// says what happened and never holds a secret.
/// </summary>
internal sealed record DeliveryAnswer(bool Delivered, bool Retryable, int? StatusCode, TimeSpan? RetryAfter, string Description);
