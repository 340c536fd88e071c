namespace LlmGate.Providers;

/// <summary>
/// A request a translating adapter cannot put into its provider's wire format (an endpoint or a parameter the provider
/// lacks). The client gets a 400 naming it; nothing is sent upstream.
/// </summary>
internal sealed class ProviderRequestException : Exception
{
    public ProviderRequestException()
    {
    }

    public ProviderRequestException(string message)
        : base(message)
    {
    }

    public ProviderRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProviderRequestException(string message, string? param)
        : base(message)
    {
        Param = param;
    }

    /// <summary>The request field at fault, as OpenAI's <c>param</c> names it (<c>messages[2].content[0]</c>).</summary>
    public string? Param { get; }
}
