namespace LlmGate.Alerting.Delivery;

/// <summary>Holds nothing back: the silencer when silences are not wired (unit tests of delivery).</summary>
internal sealed class NoSilences : IAlertSilencer
{
    public static readonly NoSilences Instance = new();

    public string? SilencedBy(AlertNotification notification, IAlertChannel channel) => null;
}
