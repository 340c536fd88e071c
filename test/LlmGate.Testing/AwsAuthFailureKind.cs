namespace LlmGate.Testing;

/// <summary>Why AWS refuses a request's authentication; each fake names it in its own protocol's words.</summary>
internal enum AwsAuthFailureKind
{
    /// <summary>No <c>Authorization</c> at all.</summary>
    Missing,

    /// <summary>An <c>Authorization</c> that is not a complete SigV4 header.</summary>
    Incomplete,

    /// <summary>The signature, its scope, its signed headers or its date are wrong.</summary>
    Signature,

    /// <summary>An unknown access key id, or a session token that does not belong to it.</summary>
    UnknownCredentials,

    /// <summary>Temporary credentials past their expiration.</summary>
    ExpiredToken,
}
