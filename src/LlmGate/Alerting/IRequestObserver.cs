namespace LlmGate.Alerting;

/// <summary>
/// The proxy's only view of alerting: it reports facts about each client request, in O(1), without waiting.
/// </summary>
internal interface IRequestObserver
{
    /// <summary>A client request was routed to a deployment and is about to be sent upstream.</summary>
    IRequestTracker Start(string modelGroup, string deploymentId, string provider, bool stream);
}
