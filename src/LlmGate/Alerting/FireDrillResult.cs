namespace LlmGate.Alerting;

/// <summary>The answers to a fire drill's trigger and its resolve.</summary>
internal sealed record FireDrillResult(string DedupKey, FireDrillStep Trigger, FireDrillStep Resolve)
{
    public bool Success => Trigger.Success && Resolve.Success;
}
