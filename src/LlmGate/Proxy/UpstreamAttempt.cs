namespace LlmGate.Proxy;

/// <summary>
/// One call to a deployment whose answer has not been written to the client yet: either a successful response
/// (headers read, body not) with the timeout that keeps guarding it, or the failure, or a client that went away.
/// </summary>
internal sealed class UpstreamAttempt : IDisposable
{
    private readonly CancellationTokenSource? _timeoutSource;
    private readonly CancellationTokenRegistration _abortRegistration;

    public UpstreamAttempt(HttpResponseMessage response, CancellationTokenSource timeoutSource, CancellationTokenRegistration abortRegistration, TimeSpan timeout)
    {
        Response = response;
        _timeoutSource = timeoutSource;
        _abortRegistration = abortRegistration;
        Timeout = timeout;
    }

    public UpstreamAttempt(AttemptFailure? failure)
    {
        Failure = failure;
    }

    /// <summary>Set on success.</summary>
    public HttpResponseMessage? Response { get; }

    /// <summary>Set when the upstream answered an error, timed out or could not be reached.</summary>
    public AttemptFailure? Failure { get; }

    /// <summary>Neither: the client went away.</summary>
    public bool ClientGone => Response is null && Failure is null;

    public TimeSpan Timeout { get; }

    public CancellationTokenSource TimeoutSource => _timeoutSource ?? throw new InvalidOperationException("Only a successful attempt has a timeout to keep.");

    public void Dispose()
    {
        _abortRegistration.Dispose();
        Response?.Dispose();
        _timeoutSource?.Dispose();
    }
}
