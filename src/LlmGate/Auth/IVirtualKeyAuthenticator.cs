using Microsoft.AspNetCore.Http;

namespace LlmGate.Auth;

/// <summary>
/// Checks a presented key that is not the master key: a virtual key. Accepting it sets the caller's
/// <c>CallerIdentity</c> (and whatever the key feature needs later) on the context. Registered by the key feature;
/// without one, only the master key is accepted.
/// </summary>
internal interface IVirtualKeyAuthenticator
{
    /// <summary>Null when the key is accepted; otherwise why not.</summary>
    ValueTask<AuthRefusal?> AuthenticateAsync(HttpContext context, string presentedKey);
}
