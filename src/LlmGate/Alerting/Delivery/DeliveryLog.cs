namespace LlmGate.Alerting.Delivery;

/// <summary>Remembers the last delivery result of any channel; written by the senders, read by the status endpoint.</summary>
internal sealed class DeliveryLog
{
    private DeliveryResult? _last;

    public DeliveryResult? Last => Volatile.Read(ref _last);

    public void Record(DeliveryResult result) => Volatile.Write(ref _last, result);
}
