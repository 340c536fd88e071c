namespace LlmGate.Testing;

/// <summary>A refused SigV4 authentication: the kind of refusal and AWS's message for it.</summary>
internal sealed record AwsAuthFailure(AwsAuthFailureKind Kind, string Message);
