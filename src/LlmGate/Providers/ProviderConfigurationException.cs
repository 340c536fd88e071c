namespace LlmGate.Providers;

/// <summary>A deployment's provider setting that can never work (a credentials file that cannot be read or parsed); the message never quotes a secret.</summary>
internal sealed class ProviderConfigurationException : Exception
{
    public ProviderConfigurationException()
    {
    }

    public ProviderConfigurationException(string message)
        : base(message)
    {
    }

    public ProviderConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
