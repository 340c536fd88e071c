namespace LlmGate.Ui.Pages;

/// <summary>One delivery attempt of a trigger or resolve to one channel, and the channel's answer (never a secret).</summary>
public sealed record DeliveryRow(
    DateTimeOffset At,
    string Action,
    string AlertType,
    string Channel,
    string DedupKey,
    bool Delivered,
    int? StatusCode,
    string Description);
