namespace LlmGate.Providers;

/// <summary>
/// The adapter could not get the credential a call needs (an OAuth token server refused or could not be reached).
/// Nothing was sent to the provider; the call fails with <see cref="Status"/> and counts against the deployment, as a
/// refused key would.
/// </summary>
internal sealed class ProviderCredentialException : Exception
{
    public ProviderCredentialException()
    {
    }

    public ProviderCredentialException(string message)
        : base(message)
    {
    }

    public ProviderCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProviderCredentialException(string message, int status, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>401 when the credential was refused, 503 when its issuer could not be reached.</summary>
    public int Status { get; } = 401;
}
