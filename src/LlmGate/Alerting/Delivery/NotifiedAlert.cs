namespace LlmGate.Alerting.Delivery;

/// <summary>An open alert's trigger as one channel got it (or a silence held it): where its resolve must go, and what it said.</summary>
internal sealed record NotifiedAlert(string Channel, string Type, string Title, IReadOnlyDictionary<string, string> Labels, DateTimeOffset OpenedAt);
