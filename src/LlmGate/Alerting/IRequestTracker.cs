namespace LlmGate.Alerting;

/// <summary>
/// One client request in flight. Exactly one of <see cref="Completed"/>, <see cref="Failed"/> or <see cref="Cancelled"/>
/// ends it; calls after the first end are ignored.
/// </summary>
internal interface IRequestTracker
{
    /// <summary>The response headers, the first chunk, or a later chunk of a stream arrived.</summary>
    void Progress();

    /// <summary>The response was delivered to the client.</summary>
    void Completed();

    /// <summary>The request ended in an error that the client sees.</summary>
    void Failed(RequestFailure failure);

    /// <summary>The client went away before the response ended; neither a success nor a failure.</summary>
    void Cancelled();
}
