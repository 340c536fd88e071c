namespace LlmGate.Alerting;

/// <summary>One channel's answers to a fire drill's trigger and its resolve.</summary>
internal sealed record FireDrillResult(string Channel, string Kind, FireDrillStep Trigger, FireDrillStep Resolve)
{
    public bool Success => Trigger.Success && Resolve.Success;
}
