namespace LlmGate.Alerting.PagerDuty;

/// <summary>
/// What came back from one send: PagerDuty's status and body, or no status when the network failed or the send
/// timed out (<see cref="Error"/> says which). Never holds the routing key.
/// </summary>
internal sealed record PagerDutyAnswer(int? StatusCode, string Body, TimeSpan? RetryAfter, string? Error)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>429, 408, 5xx and network failures or timeouts are worth another try; other 4xx (400 above all) are not.</summary>
    public bool IsRetryable => StatusCode is null or 408 or 429 or >= 500;
}
