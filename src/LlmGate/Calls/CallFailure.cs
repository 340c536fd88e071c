namespace LlmGate.Calls;

/// <summary>
/// Why a call failed, as shown to the client. <see cref="Message"/> must already be free of secrets and prompt text;
/// observers that send it out of the process cut it short first.
/// </summary>
internal sealed record CallFailure(int Status, string ErrorType, string Message, FailureKind Kind)
{
    /// <summary>An exception escaped the pipeline: the client got the generic 500.</summary>
    public static readonly CallFailure Unhandled = new(500, "internal_server_error", "Internal error in the gateway; the details are in its log.", FailureKind.Gateway);
}
