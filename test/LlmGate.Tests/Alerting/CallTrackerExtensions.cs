using LlmGate.Calls;

namespace LlmGate.Tests.Alerting;

/// <summary>Starts calls the way the proxy does for a routed request, for tests and benchmarks of call observers.</summary>
internal static class CallTrackerExtensions
{
    /// <summary>A call routed to <paramref name="modelGroup"/>, its first attempt started at <paramref name="deploymentId"/>.</summary>
    public static CallContext StartRouted(this CallTracker calls, string modelGroup, string deploymentId, string provider, bool stream)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var call = calls.Start(CallerIdentity.MasterKey);
        call.Routed(modelGroup, stream);
        call.StartAttempt(modelGroup, deploymentId, provider);
        return call;
    }
}
