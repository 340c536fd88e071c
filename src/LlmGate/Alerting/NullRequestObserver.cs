namespace LlmGate.Alerting;

/// <summary>Used when alerting is off: tracking costs nothing.</summary>
internal sealed class NullRequestObserver : IRequestObserver, IRequestTracker
{
    public static readonly NullRequestObserver Instance = new();

    public IRequestTracker Start(string modelGroup, string deploymentId, string provider, bool stream) => this;

    public void Progress()
    {
    }

    public void Completed()
    {
    }

    public void Failed(RequestFailure failure)
    {
    }

    public void Cancelled()
    {
    }
}
