namespace LlmGate.Testing;

/// <summary>
/// A fake's <c>FailWithStatus</c> and <c>FailRemaining</c> knobs: the status next requests fail with, and how many of
/// them (null = all) before answers are normal again.
/// </summary>
internal sealed class FailureSteering
{
    private readonly Lock _gate = new();

    public int? Status { get; set; }

    public int? Remaining { get; set; }

    /// <summary>The status this request must fail with, counting it down; null when it is answered normally.</summary>
    public int? Take()
    {
        lock (_gate)
        {
            if (Status is not { } status)
            {
                return null;
            }

            if (Remaining is not { } remaining)
            {
                return status;
            }

            Remaining = remaining - 1;
            return remaining > 0 ? status : null;
        }
    }
}
